import Redis from 'ioredis';

/**
 * BullMQ loses jobs silently if Redis evicts keys. Refuse to start unless Redis runs with
 * `maxmemory-policy noeviction`.
 */
export async function assertNoEviction(redisUrl: string, options: Redis['options']): Promise<void> {
  const client = new Redis(redisUrl, { ...options, lazyConnect: true, enableOfflineQueue: true });
  try {
    await client.connect();
    const reply = (await client.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy !== 'noeviction') {
      throw new Error(
        `Redis at ${redisUrl} runs with maxmemory-policy '${policy}'; Stepwise needs 'noeviction' ` +
          `(queued jobs would be evicted). Set it with: CONFIG SET maxmemory-policy noeviction`,
      );
    }
  } finally {
    client.disconnect();
  }
}
