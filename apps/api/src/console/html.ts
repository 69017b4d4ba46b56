/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A small page of the server's own (sign-in, refusals): the console's stylesheet, no script. */
export function simplePage(options: { lang: 'en' | 'ja'; title: string; body: string }): string {
  return `<!doctype html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · Stepwise</title>
<link rel="stylesheet" href="/assets/console.css">
</head>
<body class="plain">
<main class="plain-page">
<h1>${escapeHtml(options.title)}</h1>
${options.body}
</main>
</body>
</html>`;
}
