import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tokens are 32 random bytes, so a single SHA-256 is a sound way to store them: there is no
 * password to guess, and lookups stay an indexed equality.
 */
export const hashTokenSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export const generateTokenSecret = (): string => `sw_${randomBytes(32).toString('base64url')}`;

export const sameHash = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
