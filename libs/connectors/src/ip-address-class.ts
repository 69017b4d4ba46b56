import { IPv4, IPv6, isValid, parse } from 'ipaddr.js';

export type IpAddress = IPv4 | IPv6;

/**
 * `always-refused`: never a webhook target, whatever the allowlist says (link-local, which
 * holds cloud metadata endpoints, unspecified, multicast, broadcast).
 * `non-public`: loopback, private, CGNAT, unique-local, and everything else ipaddr.js does
 * not call `unicast`; allowed only when allow-listed.
 */
export type AddressClass = 'always-refused' | 'non-public' | 'public';

const ALWAYS_REFUSED_RANGES: ReadonlySet<string> = new Set([
  'linkLocal',
  'unspecified',
  'multicast',
  'broadcast',
]);

// ipaddr.js calls the deprecated IPv4-compatible block (::a.b.c.d) `unicast`; it embeds an
// IPv4 address, so it must not pass as public.
const IPV4_COMPATIBLE: [IPv6, number] = [IPv6.parse('::'), 96];

/**
 * Parses an address and maps IPv4-mapped IPv6 (`::ffff:7f00:1`) to IPv4, so every check
 * sees one spelling. Legacy IPv4 forms (`0x7f.1`, `2130706433`) are read as inet_aton does.
 */
export function parseIpAddress(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!isValid(bare)) {
    return null;
  }
  return normaliseIpAddress(parse(bare));
}

export function normaliseIpAddress(address: IpAddress): IpAddress {
  if (address.kind() === 'ipv6' && (address as IPv6).isIPv4MappedAddress()) {
    return (address as IPv6).toIPv4Address();
  }
  return address;
}

export function ipRangeName(address: IpAddress): string {
  const range = address.range();
  if (range === 'unicast' && address.kind() === 'ipv6' && address.match(IPV4_COMPATIBLE)) {
    return 'ipv4Compatible';
  }
  return range;
}

export function classifyIpAddress(address: IpAddress): AddressClass {
  const range = ipRangeName(address);
  if (ALWAYS_REFUSED_RANGES.has(range)) {
    return 'always-refused';
  }
  return range === 'unicast' ? 'public' : 'non-public';
}
