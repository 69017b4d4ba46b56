import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe(canonicalJson.name, () => {
  it('orders keys, drops undefined and adds no whitespace', () => {
    const sut = canonicalJson({ b: 1, a: { d: [3, 'x'], c: null }, skipped: undefined });
    expect(sut).toBe('{"a":{"c":null,"d":[3,"x"]},"b":1}');
  });

  it('keeps array order and writes an undefined element as null', () => {
    expect(canonicalJson([2, undefined, 1])).toBe('[2,null,1]');
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak ✓' })).toBe('{"k\\"ey":"line\\nbreak ✓"}');
  });

  it('writes a Date as its ISO instant', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2024, 1, 29, 15)) })).toBe(
      '{"at":"2024-02-29T15:00:00.000Z"}',
    );
  });

  it.each([
    ['NaN', { value: Number.NaN }, '$.value'],
    ['a bigint', { value: BigInt(1) }, '$.value'],
    ['a function', [() => 1], '$[0]'],
    ['a class instance', { value: new Map() }, '$.value'],
  ])('refuses %s and names where it is', (_label, value, path) => {
    expect(() => canonicalJson(value)).toThrow(path);
  });

  it('is the same for equal values whatever the key insertion order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        return canonicalJson(record) === canonicalJson(reversed);
      }),
    );
  });

  it('round-trips through JSON.parse to an equal value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
