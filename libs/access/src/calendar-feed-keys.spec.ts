import { randomUUID } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { CalendarFeedKeys, FEED_KEY_PATTERN } from './calendar-feed-keys';

const keysUnder = (secret: string): CalendarFeedKeys =>
  new CalendarFeedKeys({
    get: (name: string) => ({ STEPWISE_SECRET_KEY: secret, NODE_ENV: 'test' })[name],
  } as unknown as ConfigService<EnvironmentVariables, true>);

describe(CalendarFeedKeys.name, () => {
  const keys = keysUnder('calendar-feed-test-secret-0123456789abcdef');
  const tokenId = randomUUID();

  it('gives each token a key that names it, and reads the token back from the key', () => {
    const key = keys.keyFor(tokenId) as string;
    expect(key).toMatch(FEED_KEY_PATTERN);
    expect(key.startsWith(`${tokenId}.`)).toBe(true);
    expect(keys.tokenIdOf(key)).toBe(tokenId);
    expect(keys.keyFor(randomUUID())).not.toBe(key);
  });

  it('refuses a key with any character of its signature changed, or moved to another token', () => {
    const key = keys.keyFor(tokenId) as string;
    const signature = key.slice(37);
    for (let index = 0; index < signature.length; index += 1) {
      const swapped = signature[index] === 'A' ? 'B' : 'A';
      const altered = `${tokenId}.${signature.slice(0, index)}${swapped}${signature.slice(index + 1)}`;
      expect(keys.tokenIdOf(altered)).toBeNull();
    }
    expect(keys.tokenIdOf(`${randomUUID()}.${signature}`)).toBeNull();
  });

  it('refuses a key made under another secret, and anything not shaped like a key', () => {
    const foreign = keysUnder('another-secret-entirely-0123456789abcdef').keyFor(tokenId) as string;
    expect(keys.tokenIdOf(foreign)).toBeNull();
    for (const junk of ['', tokenId, `${tokenId}.`, `${tokenId}.${'A'.repeat(44)}`, 'x'.repeat(80)]) {
      expect(keys.tokenIdOf(junk)).toBeNull();
    }
  });

  it('has no key for the bootstrap admin, which is no token row', () => {
    expect(keys.keyFor('bootstrap-admin')).toBeNull();
  });
});
