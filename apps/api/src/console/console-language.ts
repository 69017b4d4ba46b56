import type { IncomingHttpHeaders } from 'node:http';

export type Language = 'en' | 'ja';

export const LANGUAGE_COOKIE = 'stepwise_lang';

/**
 * The language of a request: the console's switch (a cookie) when set, else the first of
 * Japanese or English in Accept-Language by preference, else English.
 */
export function languageOf(headers: IncomingHttpHeaders): Language {
  const chosen = /(?:^|;\s*)stepwise_lang=(en|ja)(?:;|$)/.exec(headers.cookie ?? '');
  if (chosen) {
    return chosen[1] as Language;
  }
  const ranked = (headers['accept-language'] ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean);
      return { tag, q: q ? Number(q[1]) : 1, index };
    })
    .filter(({ tag, q }) => q > 0 && (tag.startsWith('ja') || tag.startsWith('en')))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.tag.startsWith('ja') ? 'ja' : 'en';
}
