import { Webhook } from 'standardwebhooks';

export interface WebhookSignatureInput {
  secret: string;
  /** Same on every retry of one message, so receivers can deduplicate. */
  messageId: string;
  timestamp: Date;
  /** The exact bytes sent; signing a re-serialised copy would break verification. */
  body: string;
}

export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Standard Webhooks headers: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signWebhook(input: WebhookSignatureInput): WebhookSignatureHeaders {
  const signature = new Webhook(input.secret).sign(input.messageId, input.timestamp, input.body);
  return {
    'webhook-id': input.messageId,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
