import { decodeUtf8, firstUnstorableText } from './storable-text';

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

describe(decodeUtf8.name, () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

  it('decodes well-formed UTF-8, a U+FFFD sent as such and a leading BOM included', () => {
    expect(decodeUtf8(bytes('{"name":"MFA 🔐 必須 \ufffd"}'))).toEqual({
      text: '{"name":"MFA 🔐 必須 \ufffd"}',
    });
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], '{}'))).toEqual({ text: '{}' });
  });

  it.each([
    ['stray bytes', [0xff, 0xfe], 9],
    ['an overlong "/"', [0xc0, 0xaf], 9],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 9],
    ['a sequence cut short', [0xe6, 0x97], 9],
  ])('gives the offset of %s', (_what, bad, offset) => {
    expect(decodeUtf8(bytes('{"name":"', bad, '"}'))).toEqual({ invalidAt: offset });
  });

  it('counts past U+FFFD sent as such, and past a BOM', () => {
    const sent = bytes([0xef, 0xbb, 0xbf], '"\ufffd\ufffd', [0xc0, 0xaf], '"');
    expect(decodeUtf8(sent)).toEqual({ invalidAt: 3 + 1 + 6 });
  });
});
