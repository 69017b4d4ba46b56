#!/usr/bin/env node
// Bundles the console (apps/console, Preact + TSX) into dist/console with esbuild: one script,
// one stylesheet, the shell page. Part of `npm run build`; nothing is fetched at run time.
const { mkdirSync, copyFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const esbuild = require('esbuild');

const root = join(__dirname, '..');
const out = join(root, 'dist/console');
const assets = join(out, 'assets');
mkdirSync(assets, { recursive: true });

esbuild.buildSync({
  entryPoints: [join(root, 'apps/console/src/main.tsx')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outfile: join(assets, 'console.js'),
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(join(root, 'apps/console/src/console.css'), join(assets, 'console.css'));
writeFileSync(
  join(out, 'index.html'),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stepwise</title>
<link rel="stylesheet" href="/assets/console.css">
<script type="module" src="/assets/console.js"></script>
</head>
<body>
<div id="app"><p class="loading">Stepwise…</p></div>
</body>
</html>
`,
);
