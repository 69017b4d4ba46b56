import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
const MIN_KEY_BYTES = 24;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** `whsec_` followed by canonical base64 that decodes to at least 24 bytes. */
export function isValidWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(PREFIX)) {
    return false;
  }
  const encoded = secret.slice(PREFIX.length);
  if (!BASE64.test(encoded)) {
    return false;
  }
  return Buffer.from(encoded, 'base64').length >= MIN_KEY_BYTES;
}
