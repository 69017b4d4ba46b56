import type { RedisOptions } from 'ioredis';

export type RedisRole = 'worker' | 'producer' | 'client';

/** The database number a Redis URL selects (`redis://host:6379/2` → 2; none → 0). */
export function redisDatabase(redisUrl: string): number {
  const path = new URL(redisUrl).pathname;
  return path.length > 1 ? Number(path.slice(1)) : 0;
}

/**
 * ioredis options per role. Workers block on Redis and must wait out outages
 * (`maxRetriesPerRequest: null`, as BullMQ requires); the API's producer fails fast so a request
 * gets a 503 instead of hanging while Redis is down.
 */
export function redisOptions(redisUrl: string, role: RedisRole): RedisOptions {
  const url = new URL(redisUrl);
  const base: RedisOptions = {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: redisDatabase(redisUrl),
    tls: url.protocol === 'rediss:' ? {} : undefined,
    connectionName: `stepwise-${role}`,
  };
  // Reconnect attempts at most 2 s apart: BullMQ's own default backs off to 20 s, so a worker
  // would notice Redis back up to 20 s late, and fire that much later the transitions it holds.
  const retryStrategy = (times: number): number => Math.min(times * 200, 2000);
  if (role === 'worker') {
    return { ...base, maxRetriesPerRequest: null, retryStrategy };
  }
  return {
    ...base,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy,
  };
}
