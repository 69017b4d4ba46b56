import { languageOf } from './console-language';

describe(languageOf.name, () => {
  it.each([
    [{ 'accept-language': 'ja,en-US;q=0.9' }, 'ja'],
    [{ 'accept-language': 'en-GB,ja;q=0.8' }, 'en'],
    [{ 'accept-language': 'fr-FR,ja;q=0.5,en;q=0.4' }, 'ja'],
    [{ 'accept-language': 'de' }, 'en'],
    [{}, 'en'],
    [{ 'accept-language': 'ja', cookie: 'a=1; stepwise_lang=en' }, 'en'],
    [{ 'accept-language': 'en', cookie: 'stepwise_lang=ja' }, 'ja'],
    [{ 'accept-language': 'en', cookie: 'stepwise_lang=xx' }, 'en'],
  ])('%j → %s', (headers, expected) => {
    expect(languageOf(headers)).toBe(expected);
  });
});
