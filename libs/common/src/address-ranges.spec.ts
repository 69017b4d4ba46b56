import { AddressRanges, isLoopbackAddress } from './address-ranges';

describe(AddressRanges.name, () => {
  it('holds the addresses and CIDRs listed, of both families', () => {
    const sut = AddressRanges.parse(' 10.0.0.0/8, 192.0.2.7 ,fd00::/8');
    expect(['10.200.1.1', '192.0.2.7', 'fd00::42'].map((a) => sut.contains(a))).toEqual([true, true, true]);
    expect(['11.0.0.1', '192.0.2.8', 'fe80::1', 'not-an-address'].map((a) => sut.contains(a))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads an IPv4-mapped client address as its IPv4 address', () => {
    expect(AddressRanges.parse('10.0.0.0/8').contains('::ffff:10.1.2.3')).toBe(true);
  });

  it.each(['10.0.0.0/33', 'metrics.internal', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x'])(
    'refuses %s, naming it',
    (entry) => {
      expect(() => AddressRanges.parse(entry)).toThrow(`invalid entry "${entry}"`);
    },
  );

  it('knows loopback in both families', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '192.0.2.2', '::'].some(isLoopbackAddress)).toBe(false);
  });
});
