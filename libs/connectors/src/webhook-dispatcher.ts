import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { SsrfRefusedError } from './ssrf-refused-error';
import { WebhookTargetPolicy } from './webhook-target-policy';

export interface WebhookDispatcherOptions {
  connectTimeoutMs?: number;
  /** Sockets per origin; unlimited by default, so the caller's concurrency decides. */
  connections?: number | null;
  keepAliveTimeoutMs?: number;
}

/**
 * A keep-alive undici Agent that checks the policy at connect time, after DNS, so a name
 * that passed registration and later re-points at an internal address (DNS rebinding) is
 * refused. It adds no redirect interceptor: a 3xx is returned to the caller as is.
 * Create one per process and share it; it owns the connection pools.
 */
export function createWebhookDispatcher(
  policy: WebhookTargetPolicy,
  options: WebhookDispatcherOptions = {},
): Agent {
  const connectInner = buildConnector({
    timeout: options.connectTimeoutMs ?? 10_000,
    lookup: guardedLookup(policy),
  });
  const connect: buildConnector.connector = (connectOptions, callback) => {
    // node:net skips `lookup` for IP literals, so those are checked here before connecting.
    const { hostname } = connectOptions;
    if (isIP(hostname) !== 0) {
      const check = policy.checkAddress(hostname, hostname);
      if (!check.ok) {
        callback(new SsrfRefusedError(check.reason), null);
        return;
      }
    }
    connectInner(connectOptions, callback);
  };
  return new Agent({
    connect,
    connections: options.connections ?? null,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
  });
}

/** A `net.connect` lookup that resolves, checks every address, then answers as dns.lookup would. */
export function guardedLookup(policy: WebhookTargetPolicy): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    policy.resolveAllowed(hostname).then(
      (resolution) => {
        if (!resolution.ok && resolution.unresolved !== undefined) {
          // A DNS failure may be transient: surface it as a network error, which is retried.
          callback(networkError(resolution.reason, resolution.unresolved.code), '', 0);
          return;
        }
        if (!resolution.ok) {
          callback(new SsrfRefusedError(resolution.reason), '', 0);
          return;
        }
        const wanted = lookupOptions.family;
        const family = wanted === 4 || wanted === 'IPv4' ? 4 : wanted === 6 || wanted === 'IPv6' ? 6 : 0;
        const addresses = resolution.addresses.filter((a) => family === 0 || a.family === family);
        if (addresses.length === 0) {
          callback(networkError(`${hostname} has no IPv${family} address`, 'ENOTFOUND'), '', 0);
        } else if (lookupOptions.all === true) {
          callback(null, addresses);
        } else {
          callback(null, addresses[0].address, addresses[0].family);
        }
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), '', 0),
    );
  };
}

function networkError(message: string, code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}
