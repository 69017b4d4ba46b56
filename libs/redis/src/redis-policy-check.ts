import Redis from 'ioredis';
import { urlWithoutCredentials } from '@stepwise/common/url-without-credentials';

/**
 * BullMQ loses jobs silently if Redis evicts keys. Refuse to start unless Redis runs with
 * `maxmemory-policy noeviction`, and say which Redis could not be asked when it is unreachable.
 * The URL is named without its credentials.
 */
export async function assertNoEviction(redisUrl: string, options: Redis['options']): Promise<void> {
  const where = urlWithoutCredentials(redisUrl);
  // One attempt: a process that cannot check the policy stops, and its supervisor restarts it.
  const client = new Redis(redisUrl, {
    ...options,
    lazyConnect: true,
    enableOfflineQueue: true,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => (lastError = error));
  try {
    await client.connect().catch((error: unknown) => {
      const cause = lastError ?? error;
      throw new Error(
        `Redis at ${where} is unreachable (${cause instanceof Error ? cause.message : String(cause)}); ` +
          `Stepwise checks its maxmemory-policy before starting`,
      );
    });
    const reply = (await client.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy !== 'noeviction') {
      throw new Error(
        `Redis at ${where} runs with maxmemory-policy '${policy}'; Stepwise needs 'noeviction' ` +
          `(queued jobs would be evicted). Set it with: CONFIG SET maxmemory-policy noeviction`,
      );
    }
  } finally {
    client.disconnect();
  }
}
