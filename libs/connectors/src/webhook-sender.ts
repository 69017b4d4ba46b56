import type { Dispatcher } from 'undici';
import { isSsrfRefusal, SsrfRefusedError } from './ssrf-refused-error';
import { postForStatus } from './status-only-post';
import { createWebhookDispatcher } from './webhook-dispatcher';
import { isValidWebhookSecret } from './webhook-secret';
import { signWebhook } from './webhook-signature';
import { WebhookTargetPolicy } from './webhook-target-policy';

export interface WebhookDelivery {
  url: string;
  secret: string;
  messageId: string;
  /** Already serialised JSON; sent and signed byte for byte. */
  body: string;
  timestamp?: Date;
}

/**
 * `retry`: try again later with backoff. `gone` (410): disable the connector. `refused`:
 * never sent and never will be (SSRF policy, bad URL or secret); do not retry.
 */
export type DeliveryResult =
  | { outcome: 'delivered'; statusCode: number }
  | { outcome: 'gone'; statusCode: 410 }
  | { outcome: 'retry'; statusCode?: number; error: string }
  | { outcome: 'refused'; error: string };

export interface WebhookSenderOptions {
  policy: WebhookTargetPolicy;
  /** Whole-delivery bound: connect, headers and body. */
  timeoutMs?: number;
  connections?: number | null;
  userAgent?: string;
}

/** A URL that passed the static checks, split as the dispatcher takes it. */
type CheckedTarget = { ok: true; origin: string; path: string } | { ok: false; reason: string };

const RESPONSE_DUMP_LIMIT = 64 * 1024;
/**
 * Targets and secrets remembered as already checked; each fan-out sends to all of them again,
 * so the caches must hold every service's (five times the 10,000 the design is sized for).
 */
const CHECKED_CACHE_MAX = 50_000;

/**
 * Sends signed rules documents. Holds one keep-alive dispatcher for its whole life, so
 * share one sender per process and `close()` it on shutdown.
 */
export class WebhookSender {
  private readonly policy: WebhookTargetPolicy;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly dispatcher: Dispatcher;
  /** `parseTarget` depends on the URL text and the policy only, both fixed per entry. */
  private readonly targets = new Map<string, CheckedTarget>();
  private readonly validSecrets = new Set<string>();

  constructor(options: WebhookSenderOptions) {
    this.policy = options.policy;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.userAgent = options.userAgent ?? 'Stepwise-Webhooks/1';
    this.dispatcher = createWebhookDispatcher(options.policy, {
      connectTimeoutMs: this.timeoutMs,
      connections: options.connections,
    });
  }

  async deliver(delivery: WebhookDelivery): Promise<DeliveryResult> {
    const target = this.checkedTarget(delivery.url);
    if (!target.ok) {
      return { outcome: 'refused', error: `${SsrfRefusedError.code}: ${target.reason}` };
    }
    if (!this.isValidSecret(delivery.secret)) {
      return { outcome: 'refused', error: 'invalid webhook secret' };
    }
    const signed = signWebhook({
      secret: delivery.secret,
      messageId: delivery.messageId,
      // The receiver checks this against its own wall clock (a replay window), so it is the
      // wall clock's, whatever clock the caller's domain runs on.
      // eslint-disable-next-line no-restricted-syntax
      timestamp: delivery.timestamp ?? new Date(),
      body: delivery.body,
    });
    const headers = {
      'webhook-id': signed['webhook-id'],
      'webhook-timestamp': signed['webhook-timestamp'],
      'webhook-signature': signed['webhook-signature'],
      'content-type': 'application/json',
      'user-agent': this.userAgent,
    };
    let statusCode: number;
    try {
      statusCode = await postForStatus(this.dispatcher, {
        origin: target.origin,
        path: target.path,
        headers,
        body: delivery.body,
        timeoutMs: this.timeoutMs,
        responseLimit: RESPONSE_DUMP_LIMIT,
      });
    } catch (error) {
      return this.failure(error);
    }
    if (statusCode >= 200 && statusCode < 300) {
      return { outcome: 'delivered', statusCode };
    }
    if (statusCode === 410) {
      return { outcome: 'gone', statusCode };
    }
    return { outcome: 'retry', statusCode, error: `receiver answered HTTP ${statusCode}` };
  }

  /** The address itself is checked again at connect time, after DNS, by the dispatcher. */
  private checkedTarget(url: string): CheckedTarget {
    let target = this.targets.get(url);
    if (target === undefined) {
      const parsed = this.policy.parseTarget(url);
      target = parsed.ok
        ? { ok: true, origin: parsed.url.origin, path: parsed.url.pathname + parsed.url.search }
        : parsed;
      if (this.targets.size >= CHECKED_CACHE_MAX) {
        this.targets.clear();
      }
      this.targets.set(url, target);
    }
    return target;
  }

  private isValidSecret(secret: string): boolean {
    if (this.validSecrets.has(secret)) {
      return true;
    }
    if (!isValidWebhookSecret(secret)) {
      return false;
    }
    if (this.validSecrets.size >= CHECKED_CACHE_MAX) {
      this.validSecrets.clear();
    }
    this.validSecrets.add(secret);
    return true;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private failure(error: unknown): DeliveryResult {
    if (isSsrfRefusal(error)) {
      return { outcome: 'refused', error: describe(error) };
    }
    if (isTimeout(error)) {
      return { outcome: 'retry', error: `timeout after ${this.timeoutMs} ms` };
    }
    return { outcome: 'retry', error: describe(error) };
  }
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

// Duck-typed: undici's abort reason is a DOMException, not always `instanceof Error`.
function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? error : {};
}

function isTimeout(error: unknown): boolean {
  const { name, code } = asErrorLike(error);
  if (name === 'TimeoutError') {
    return true;
  }
  return typeof code === 'string' && /^UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT$/.test(code);
}

function describe(error: unknown): string {
  const { code, message } = asErrorLike(error);
  const text = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' ? `${code}: ${text}` : text;
}
