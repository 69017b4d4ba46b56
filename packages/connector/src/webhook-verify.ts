import { createHmac, timingSafeEqual } from 'node:crypto';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

export interface WebhookVerifyInput {
  /** The service's secret, `whsec_` + base64, as Stepwise showed it at registration. */
  secret: string;
  /** Request headers (names in lower case, as Node gives them). */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body as received: verifying a re-serialised copy would fail. */
  body: string | Buffer;
  /** Now, in epoch milliseconds (injectable for tests). */
  nowMs?: number;
  /** How far the timestamp may be from now, either way (replay window); default 300 s. */
  toleranceSeconds?: number;
}

export interface VerifiedWebhook {
  /** The same on every retry of one generation: a receiver deduplicates with it. */
  id: string;
  timestamp: number;
}

const header = (headers: WebhookVerifyInput['headers'], name: string): string => {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === '') {
    throw new WebhookVerificationError(`missing header ${name}`);
  }
  return text;
};

/**
 * Verifies a Standard Webhooks signature: `webhook-signature` holds one or more space-separated
 * `v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed with the base64-decoded secret; the
 * timestamp must lie within the replay window. Throws WebhookVerificationError otherwise.
 */
export function verifyWebhook(input: WebhookVerifyInput): VerifiedWebhook {
  const id = header(input.headers, 'webhook-id');
  const timestampText = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!/^\d{1,12}$/.test(timestampText)) {
    throw new WebhookVerificationError('webhook-timestamp is not a number of seconds');
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  const tolerance = input.toleranceSeconds ?? 300;
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      `webhook-timestamp is ${nowSeconds - timestamp} s from now, outside the ${tolerance} s window`,
    );
  }
  const key = Buffer.from(input.secret.replace(/^whsec_/, ''), 'base64');
  if (key.length === 0) {
    throw new WebhookVerificationError('the secret is empty');
  }
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(input.body).digest();
  for (const candidate of signatures.split(' ')) {
    const [version, encoded] = candidate.split(',', 2);
    if (version !== 'v1' || encoded === undefined) {
      continue;
    }
    const given = Buffer.from(encoded, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { id, timestamp };
    }
  }
  throw new WebhookVerificationError('no signature matches');
}
