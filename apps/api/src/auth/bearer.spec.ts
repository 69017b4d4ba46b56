import { bearerTokenOf } from './bearer';

describe(bearerTokenOf.name, () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])(
    'reads the token after the scheme %s, in any case',
    (scheme) => {
      expect(bearerTokenOf(`${scheme} sw_abc.DEF-123~+/=`)).toBe('sw_abc.DEF-123~+/=');
    },
  );

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'Bearer a b',
    'Bearer ä',
    `Bearer ${'a'.repeat(513)}`,
  ])('finds no token in %j', (header) => {
    expect(bearerTokenOf(header)).toBeNull();
  });
});
