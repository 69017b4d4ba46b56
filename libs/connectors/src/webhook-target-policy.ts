import { promises as dns, LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { classifyIpAddress, ipRangeName, parseIpAddress } from './ip-address-class';
import { WebhookAllowlist } from './webhook-allowlist';

export type TargetCheck = { ok: true } | { ok: false; reason: string };
/** `unresolved` (DNS failed, maybe transiently) is kept apart from a policy refusal. */
export type HostResolution =
  { ok: true; addresses: LookupAddress[] } | { ok: false; reason: string; unresolved?: { code: string } };
export type ParsedTarget = { ok: true; url: URL; hostname: string } | { ok: false; reason: string };

/** Resolves a hostname to every address it has; defaults to the system resolver. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export interface WebhookTargetPolicyOptions {
  resolveHost?: ResolveHost;
}

const systemResolveHost: ResolveHost = (hostname) => dns.lookup(hostname, { all: true });

/**
 * Decides which webhook URLs and addresses Stepwise may send to (SSRF guard). An address is
 * allowed when it is not always-refused and it is public unicast, lies in an allow-listed
 * range, or belongs to an allow-listed hostname. Checked at registration (`checkUrl`) and
 * again at connect time (`checkAddress`, via the guarded dispatcher) against DNS rebinding.
 */
export class WebhookTargetPolicy {
  private readonly resolveHost: ResolveHost;

  constructor(
    private readonly allowlist: WebhookAllowlist = WebhookAllowlist.empty,
    options: WebhookTargetPolicyOptions = {},
  ) {
    this.resolveHost = options.resolveHost ?? systemResolveHost;
  }

  /** @throws WebhookAllowlistError naming the first bad entry. */
  static fromAllowlist(text: string | undefined, options?: WebhookTargetPolicyOptions) {
    return new WebhookTargetPolicy(WebhookAllowlist.parse(text), options);
  }

  checkAddress(addressText: string, hostname?: string): TargetCheck {
    const address = parseIpAddress(addressText);
    if (address === null) {
      return { ok: false, reason: `"${addressText}" is not an IP address` };
    }
    const shown = address.toString();
    const range = ipRangeName(address);
    switch (classifyIpAddress(address)) {
      case 'always-refused':
        return { ok: false, reason: `${shown} is ${range} and is never allowed` };
      case 'public':
        return { ok: true };
      case 'non-public':
        if (this.allowlist.containsAddress(address)) {
          return { ok: true };
        }
        if (hostname !== undefined && this.allowlist.hasHostname(hostname)) {
          return { ok: true };
        }
        return { ok: false, reason: `${shown} is ${range} and not in the allowlist` };
    }
  }

  /** Static checks only (no DNS): scheme, userinfo, and the address if the host is a literal. */
  parseTarget(urlText: string): ParsedTarget {
    if (!URL.canParse(urlText)) {
      return { ok: false, reason: 'not a valid URL' };
    }
    const url = new URL(urlText);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, reason: `scheme ${url.protocol} is not http or https` };
    }
    if (url.username !== '' || url.password !== '') {
      return { ok: false, reason: 'credentials in the URL are not allowed' };
    }
    // The URL parser has already canonicalised decimal, octal, hex and short IPv4 forms.
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(hostname) !== 0) {
      const check = this.checkAddress(hostname, hostname);
      if (!check.ok) {
        return check;
      }
    }
    return { ok: true, url, hostname };
  }

  /** Resolves a hostname; refused unless EVERY address it resolves to is allowed. */
  async resolveAllowed(hostname: string): Promise<HostResolution> {
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolveHost(hostname);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND';
      const reason = `${hostname} could not be resolved (${code})`;
      return { ok: false, reason, unresolved: { code } };
    }
    if (addresses.length === 0) {
      return { ok: false, reason: `${hostname} has no addresses`, unresolved: { code: 'ENODATA' } };
    }
    for (const { address } of addresses) {
      const check = this.checkAddress(address, hostname);
      if (!check.ok) {
        return { ok: false, reason: `${hostname}: ${check.reason}` };
      }
    }
    return { ok: true, addresses };
  }

  /** Registration-time check of a webhook URL. */
  async checkUrl(urlText: string): Promise<TargetCheck> {
    const target = this.parseTarget(urlText);
    if (!target.ok) {
      return target;
    }
    if (isIP(target.hostname) !== 0) {
      return { ok: true };
    }
    const resolution = await this.resolveAllowed(target.hostname);
    return resolution.ok ? { ok: true } : { ok: false, reason: resolution.reason };
  }
}
