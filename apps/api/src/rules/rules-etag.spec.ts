import { generationEtag, matchesIfNoneMatch } from './rules-etag';

describe(matchesIfNoneMatch.name, () => {
  it.each([
    ['"7"', true],
    ['W/"7"', true],
    ['"6", "7"', true],
    ['*', true],
    ['"6"', false],
    ['7', false],
    ['"70"', false],
  ])('If-None-Match %s against generation 7: %s', (header, expected) => {
    expect(matchesIfNoneMatch(header, 7)).toBe(expected);
  });

  it('matches nothing without the header', () => {
    expect(matchesIfNoneMatch(undefined, 7)).toBe(false);
    expect(generationEtag(7)).toBe('"7"');
  });
});
