import { firstUnstorableText } from './storable-text';

describe(firstUnstorableText.name, () => {
  it('finds a NUL or a lone surrogate anywhere, and names where', () => {
    expect(firstUnstorableText('a\u0000b', 'id')).toBe('id');
    expect(firstUnstorableText({ name: 'ok', tags: ['x', 'y\u0000'] })).toBe('tags[1]');
    expect(firstUnstorableText({ a: { b: [{ c: '\ud800' }] } })).toBe('a.b[0].c');
    expect(firstUnstorableText({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(firstUnstorableText('\udfff x')).toBe('body');
    expect(firstUnstorableText({ q: 'x\udc00' }, 'query')).toBe('query.q');
  });

  it('passes text that can be stored, emoji (surrogate pairs) included, and other values', () => {
    expect(firstUnstorableText({ name: 'MFA 🔐 必須', n: 1, ok: true, none: null, list: [] })).toBeNull();
    expect(firstUnstorableText('\ud83d\udd10')).toBeNull();
    expect(firstUnstorableText(undefined)).toBeNull();
  });
});
