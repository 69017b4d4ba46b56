import type { Dispatcher } from 'undici';
import { isSsrfRefusal, SsrfRefusedError } from './ssrf-refused-error';
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

const RESPONSE_DUMP_LIMIT = 64 * 1024;

/**
 * Sends signed rules documents. Holds one keep-alive dispatcher for its whole life, so
 * share one sender per process and `close()` it on shutdown.
 */
export class WebhookSender {
  private readonly policy: WebhookTargetPolicy;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly dispatcher: Dispatcher;

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
    const target = this.policy.parseTarget(delivery.url);
    if (!target.ok) {
      return { outcome: 'refused', error: `${SsrfRefusedError.code}: ${target.reason}` };
    }
    if (!isValidWebhookSecret(delivery.secret)) {
      return { outcome: 'refused', error: 'invalid webhook secret' };
    }
    const headers = {
      ...signWebhook({ ...delivery, timestamp: delivery.timestamp ?? new Date() }),
      'content-type': 'application/json',
      'user-agent': this.userAgent,
    };
    // One deadline for connect, headers and body. A plain timer, not AbortSignal.timeout(),
    // which costs several times more per call at benchmark rates.
    const controller = new AbortController();
    const deadline = setTimeout(
      () => controller.abort(new DOMException(`timeout after ${this.timeoutMs} ms`, 'TimeoutError')),
      this.timeoutMs,
    );
    let statusCode: number;
    try {
      const response = await this.dispatcher.request({
        origin: target.url.origin,
        path: target.url.pathname + target.url.search,
        method: 'POST',
        headers,
        body: delivery.body,
        signal: controller.signal,
      });
      statusCode = response.statusCode;
      // Read and drop the body so the socket goes back to the pool; a failure here only
      // costs that socket, the status already says what the receiver decided.
      await response.body.dump({ limit: RESPONSE_DUMP_LIMIT }).catch(() => undefined);
    } catch (error) {
      return this.failure(error);
    } finally {
      clearTimeout(deadline);
    }
    if (statusCode >= 200 && statusCode < 300) return { outcome: 'delivered', statusCode };
    if (statusCode === 410) return { outcome: 'gone', statusCode };
    return { outcome: 'retry', statusCode, error: `receiver answered HTTP ${statusCode}` };
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private failure(error: unknown): DeliveryResult {
    if (isSsrfRefusal(error)) return { outcome: 'refused', error: describe(error) };
    if (isTimeout(error)) return { outcome: 'retry', error: `timeout after ${this.timeoutMs} ms` };
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
  if (name === 'TimeoutError') return true;
  return typeof code === 'string' && /^UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT$/.test(code);
}

function describe(error: unknown): string {
  const { code, message } = asErrorLike(error);
  const text = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' ? `${code}: ${text}` : text;
}
