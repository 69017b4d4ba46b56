import Redis from 'ioredis';

/** Removes every Redis key under `prefix` (a suite's or a benchmark's own), on a connection of its own. */
export async function clearRedisPrefix(
  prefix: string,
  redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) {
        await redis.del(...keys);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
