import { redisOptions } from './redis-connection';

describe('redisOptions', () => {
  it('reads host, port, credentials, database and TLS from the URL', () => {
    expect(redisOptions('rediss://user:p%40ss@redis.example:6380/2', 'client')).toMatchObject({
      host: 'redis.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
      connectionName: 'stepwise-client',
    });
  });

  it('lets a worker wait out an outage, trying again at most 2 s apart', () => {
    const options = redisOptions('redis://127.0.0.1:6379', 'worker');
    expect(options.maxRetriesPerRequest).toBeNull();
    const delays = [1, 2, 5, 10, 100, 10_000].map((times) => options.retryStrategy?.(times));
    expect(delays).toEqual([200, 400, 1000, 2000, 2000, 2000]);
  });

  it('makes the API fail fast while Redis is down, without queueing commands offline', () => {
    const options = redisOptions('redis://127.0.0.1:6379', 'producer');
    expect(options).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    expect(options.retryStrategy?.(100)).toBe(2000);
  });
});
