import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_KEY_CHARS = 32;
const HKDF_SALT = 'stepwise';
const HKDF_INFO = 'stepwise/secret-box/v1';

/**
 * Encrypts secrets at rest (webhook secrets in the database) with AES-256-GCM under a key
 * derived from `STEPWISE_SECRET_KEY`. Output: `v1.<iv>.<tag>.<ciphertext>`, base64 parts;
 * the version prefix leaves room to rotate the scheme without guessing formats.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    if (secretKey.length < MIN_KEY_CHARS) {
      throw new Error(`STEPWISE_SECRET_KEY must be at least ${MIN_KEY_CHARS} characters`);
    }
    this.key = Buffer.from(hkdfSync('sha256', secretKey, HKDF_SALT, HKDF_INFO, 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    const encoded = [iv, tag, ciphertext].map((part) => part.toString('base64'));
    return [VERSION, ...encoded].join('.');
  }

  /** @throws if the text is malformed, was encrypted under another key, or was altered. */
  decrypt(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new Error(`SecretBox: not a ${VERSION} sealed value`);
    }
    const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new Error('SecretBox: malformed IV or tag');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('SecretBox: authentication failed (wrong key or tampered value)');
    }
  }
}
