// Every text of the console, in English and Japanese, from the parts in ./messages. Keys are the
// English meaning; a missing Japanese text is a type error, not a fallback.

import * as adoption from './messages/adoption';
import * as core from './messages/core';
import * as notices from './messages/notices';
import * as postponements from './messages/postponements';

export type Language = 'en' | 'ja';

/** Every part's texts. Parts prefix their keys (`adoption…`, `notice…`) so that none overrides another. */
const en = { ...core.en, ...notices.en, ...postponements.en, ...adoption.en };
const ja: Record<MessageKey, string> = {
  ...core.ja,
  ...notices.ja,
  ...postponements.ja,
  ...adoption.ja,
};

export type MessageKey = keyof typeof en;

const messages: Record<Language, Record<MessageKey, string>> = { en, ja };

let current: Language = 'en';

export const setLanguage = (language: Language): void => {
  current = language;
  document.documentElement.lang = language;
};
export const language = (): Language => current;

/** The text of `key` in the current language, `{name}` replaced by `params.name`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[current][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(params[name] ?? `{${name}}`),
  );
}

/** A key built from a value (`level_${level}`), checked at run time: unknown values show as they are. */
export function tv(prefix: string, value: string, params: Record<string, string | number> = {}): string {
  const key = `${prefix}_${value}`;
  return key in en ? t(key as MessageKey, params) : value;
}

/** The switch persists in a cookie the server reads too (its own pages, Accept-Language aside). */
export function chooseLanguage(language: Language): void {
  document.cookie = `stepwise_lang=${language}; path=/; max-age=31536000; samesite=lax`;
  setLanguage(language);
}
