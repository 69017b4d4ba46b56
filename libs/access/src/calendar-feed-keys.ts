import { createHmac, hkdfSync } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { secretKeyFromEnvironment } from '@stepwise/config/secret-key';
import { sameHash } from './token-secret';

const HKDF_SALT = 'stepwise';
const HKDF_INFO = 'stepwise/calendar-feed/v1';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** `<token id>.<base64url HMAC-SHA256>`: 36 + 1 + 43 characters. */
export const FEED_KEY_PATTERN = new RegExp(`^(${UUID})\\.([A-Za-z0-9_-]{43})$`);
const TOKEN_ID_PATTERN = new RegExp(`^${UUID}$`);

/**
 * Keys that open one token's calendar feed (`GET /schedule.ics?feed=KEY`) without the bearer
 * token, for calendar clients, which subscribe to a URL and cannot send an Authorization header.
 * A key is the token's id and an HMAC of it under a key derived from STEPWISE_SECRET_KEY: it
 * cannot be made without that secret, it is not the token (a leaked feed URL reads the calendar
 * and nothing else), and revoking the token closes its feed, since the token is looked up on
 * every read.
 */
@Injectable()
export class CalendarFeedKeys {
  private readonly key: Buffer;

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    const secret = secretKeyFromEnvironment({
      STEPWISE_SECRET_KEY: config.get('STEPWISE_SECRET_KEY', { infer: true }),
      NODE_ENV: config.get('NODE_ENV', { infer: true }),
    });
    this.key = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, HKDF_INFO, 32));
  }

  /** The feed key of a token (by id); null for the bootstrap admin, which has no token row. */
  keyFor(tokenId: string): string | null {
    if (!TOKEN_ID_PATTERN.test(tokenId)) {
      return null;
    }
    return `${tokenId}.${this.mac(tokenId)}`;
  }

  /** The token id a feed key was made for, or null when it was not made with this secret. */
  tokenIdOf(feedKey: string): string | null {
    const match = FEED_KEY_PATTERN.exec(feedKey);
    if (match === null) {
      return null;
    }
    return sameHash(this.mac(match[1]), match[2]) ? match[1] : null;
  }

  private mac(tokenId: string): string {
    return createHmac('sha256', this.key).update(`schedule.ics:${tokenId}`).digest('base64url');
  }
}
