import { isIP } from 'node:net';
import { IPv4, IPv6 } from 'ipaddr.js';
import { IpAddress, normaliseIpAddress } from './ip-address-class';

export type IpRange = [IpAddress, number];

const HOSTNAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** Thrown for a bad `STEPWISE_WEBHOOK_ALLOWLIST` entry; config validation reports the message. */
export class WebhookAllowlistError extends Error {
  constructor(
    readonly entry: string,
    why: string,
  ) {
    super(`STEPWISE_WEBHOOK_ALLOWLIST: invalid entry "${entry}": ${why}`);
    this.name = WebhookAllowlistError.name;
  }
}

/**
 * The operator's exceptions to the public-only rule: exact hostnames (matched against the
 * URL's hostname, case-insensitively, trailing dot ignored) and address ranges.
 */
export class WebhookAllowlist {
  private constructor(
    private readonly hostnames: ReadonlySet<string>,
    private readonly ranges: readonly IpRange[],
  ) {}

  static readonly empty = new WebhookAllowlist(new Set(), []);

  /** Parses the comma-separated list, e.g. `127.0.0.1/32,receiver.internal,10.0.0.0/8`. */
  static parse(text: string | undefined): WebhookAllowlist {
    const hostnames = new Set<string>();
    const ranges: IpRange[] = [];
    for (const raw of (text ?? '').split(',')) {
      const entry = raw.trim();
      if (entry === '') {
        continue;
      }
      if (entry.includes('/') || isIP(entry) !== 0) {
        ranges.push(parseRange(entry));
      } else {
        hostnames.add(parseHostname(entry));
      }
    }
    return new WebhookAllowlist(hostnames, ranges);
  }

  hasHostname(hostname: string): boolean {
    return this.hostnames.has(canonicalHostname(hostname));
  }

  containsAddress(address: IpAddress): boolean {
    return this.ranges.some(
      ([network, prefix]) => network.kind() === address.kind() && address.match(network, prefix),
    );
  }
}

export function canonicalHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

function parseRange(entry: string): IpRange {
  const [addressText, prefixText, ...rest] = entry.split('/');
  const family = isIP(addressText);
  if (rest.length > 0 || family === 0) {
    throw new WebhookAllowlistError(entry, 'expected an IPv4/IPv6 address or CIDR');
  }
  const maxPrefix = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? '0') || prefix > maxPrefix) {
    throw new WebhookAllowlistError(entry, `prefix length must be 0..${maxPrefix}`);
  }
  const address = family === 4 ? IPv4.parse(addressText) : IPv6.parse(addressText);
  const normalised = normaliseIpAddress(address);
  if (normalised !== address) {
    // An IPv4-mapped range is kept as the IPv4 range it maps, since addresses are normalised too.
    if (prefix < 96) {
      throw new WebhookAllowlistError(entry, 'IPv4-mapped prefix must be >= 96');
    }
    return [normalised, prefix - 96];
  }
  return [address, prefix];
}

function parseHostname(entry: string): string {
  const hostname = canonicalHostname(entry);
  // The WHATWG URL parser rewrites some hosts (`0x7f.1` becomes `127.0.0.1`); an entry it
  // would rewrite could never match a URL's hostname, so it is an error rather than dead.
  const parsed = URL.canParse(`http://${hostname}/`) ? new URL(`http://${hostname}/`).hostname : '';
  if (hostname.length > 253 || !HOSTNAME.test(hostname) || parsed !== hostname) {
    throw new WebhookAllowlistError(entry, 'not a valid hostname, address or CIDR');
  }
  return hostname;
}
