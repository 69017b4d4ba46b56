import type Redis from 'ioredis';

/**
 * Resolves true once `redis` is connected (at once if it is), false after `timeoutMs` or if it
 * was closed: a publisher asks first, so a notice is given up rather than queued by ioredis for
 * an outage of unknown length (a fresh client, the CLI's, may still be connecting).
 */
export function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') {
    return Promise.resolve(true);
  }
  if (redis.status === 'end') {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
  });
}
