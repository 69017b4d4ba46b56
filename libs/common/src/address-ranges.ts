import { BlockList, isIP } from 'node:net';

/** Thrown for a bad entry of an address list; config validation reports the message. */
export class AddressRangesError extends Error {
  constructor(entry: string, why: string) {
    super(`invalid entry "${entry}": ${why}`);
    this.name = AddressRangesError.name;
  }
}

/**
 * A set of client addresses, from a comma-separated list of addresses and CIDRs
 * (`10.0.0.0/8,192.0.2.7,fd00::/8`). An IPv4-mapped IPv6 client address (`::ffff:10.1.2.3`, as a
 * dual-stack socket reports it) is looked up as the IPv4 address it carries.
 */
export class AddressRanges {
  private constructor(private readonly list: BlockList) {}

  static parse(text: string): AddressRanges {
    const list = new BlockList();
    for (const raw of text.split(',')) {
      const entry = raw.trim();
      if (entry === '') {
        continue;
      }
      const [address, prefixText, ...rest] = entry.split('/');
      const family = isIP(address);
      if (rest.length > 0 || family === 0) {
        throw new AddressRangesError(entry, 'expected an address or a CIDR');
      }
      const maxPrefix = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
      if (!/^\d{1,3}$/.test(prefixText ?? '0') || prefix > maxPrefix) {
        throw new AddressRangesError(entry, `prefix length must be 0..${maxPrefix}`);
      }
      list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    }
    return new AddressRanges(list);
  }

  /** The loopback addresses, 127.0.0.0/8 and ::1, and `extra`. */
  static loopbackAnd(extra: string): AddressRanges {
    return AddressRanges.parse(`127.0.0.0/8,::1,${extra}`);
  }

  contains(address: string): boolean {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) {
      return this.list.check(mapped[1], 'ipv4');
    }
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

export const isLoopbackAddress = (address: string): boolean =>
  AddressRanges.loopbackAnd('').contains(address);
