import { spawn } from 'node:child_process';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import {
  QueueName,
  SWEEP_SCHEDULER_ID,
  SystemJob,
  workerHeartbeatKey,
} from '@stepwise/queue/queue-catalogue';
import { freePort, startProcess } from './support/processes';
import { clearRedisPrefix } from './support/redis-keys';
import { isolatedEnvironment } from './support/test-api';
import type { TestDatabase } from './support/test-database';

describe('worker', () => {
  let db: TestDatabase;
  let prefix: string;
  let worker: INestApplicationContext;
  const redis = new Redis('redis://127.0.0.1:6379');

  beforeAll(async () => {
    ({ db, redisPrefix: prefix } = await isolatedEnvironment());
    const { NestFactory } = await import('@nestjs/core');
    const { WorkerModule } = await import('../apps/worker/src/worker.module');
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
  });

  afterAll(async () => {
    await worker.close();
    await clearRedisPrefix(prefix);
    redis.disconnect();
    await db.drop();
  });

  it('processes a health ping end to end and refreshes its heartbeat', async () => {
    const queue = new Queue(QueueName.System, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
    const events = new QueueEvents(QueueName.System, {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix,
    });
    await events.waitUntilReady();
    await redis.del(workerHeartbeatKey(prefix));
    const job = await queue.add(SystemJob.HealthPing, { requestedAt: new Date().toISOString() });
    const result = (await job.waitUntilFinished(events, 10000)) as { heartbeatAt: string };
    expect(Date.parse(result.heartbeatAt)).not.toBeNaN();
    expect(await redis.get(workerHeartbeatKey(prefix))).toBe(result.heartbeatAt);
    await events.close();
    await queue.close();
  });

  it('keeps a repeating health ping scheduled', async () => {
    const queue = new Queue(QueueName.System, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain(SystemJob.HealthPing);
    await queue.close();
  });

  it('exits 0 within its bound on SIGTERM', async () => {
    const sut = startProcess('dist/apps/worker/src/main.js', { LOG_LEVEL: 'info' });
    try {
      await sut.waitFor('stepwise-worker ready');
      const started = Date.now();
      sut.child.kill('SIGTERM');
      const { code } = await sut.exited(30000);
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(26000);
    } finally {
      if (sut.child.exitCode === null) {
        sut.child.kill('SIGKILL');
      }
    }
  });
});

describe('the API and the worker when Redis or PostgreSQL fail (processes of their own)', () => {
  let db: TestDatabase;
  const APPS = ['dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js'];

  beforeAll(async () => {
    ({ db } = await isolatedEnvironment());
  });

  afterAll(async () => {
    await db.drop();
  });

  it('refuses to start the API and the worker when Redis may evict keys, saying so', async () => {
    const redis = await startRedisServer(['--maxmemory-policy', 'allkeys-lru']);
    try {
      for (const app of APPS) {
        const sut = startProcess(app, { REDIS_URL: redis.url, PORT: '0' });
        const { code } = await sut.exited(20000);
        expect(code).not.toBe(0);
        expect(sut.output()).toContain('noeviction');
      }
    } finally {
      redis.kill();
    }
  });

  it.each([
    ['Redis', 'REDIS_URL', 'redis', /Redis at redis:\/\/127\.0\.0\.1:\d+\/? is unreachable \(.*ECONNREFUSED/],
    [
      'PostgreSQL',
      'DATABASE_URL',
      'postgres',
      /could not connect to PostgreSQL at postgres:\/\/127\.0\.0\.1:\d+\/stepwise: .*ECONNREFUSED/,
    ],
  ])(
    'stops both when %s is unreachable, naming it without its password',
    async (_, variable, scheme, expected) => {
      // Nothing listens on this port.
      const url = `${scheme}://stepwise:pass-0123456789@127.0.0.1:${await freePort()}/${scheme === 'postgres' ? 'stepwise' : ''}`;
      for (const app of APPS) {
        const sut = startProcess(app, { [variable]: url, PORT: '0' });
        const { code } = await sut.exited(20000);
        expect(code).toBe(1);
        const firstLine = sut
          .output()
          .split('\n')
          .find((line) => line.includes('failed to start'));
        expect(firstLine).toMatch(expected);
        expect(sut.output()).not.toContain('pass-0123456789');
      }
    },
  );

  it('logs a Redis outage in the worker as JSON warnings, not raw errors on every reconnect, and recovers after it', async () => {
    let redis = await startRedisServer(['--maxmemory-policy', 'noeviction']);
    const port = Number(new URL(redis.url).port);
    const sut = startProcess('dist/apps/worker/src/main.js', {
      REDIS_URL: redis.url,
      LOG_LEVEL: 'info',
      STEPWISE_SWEEP_INTERVAL_MS: '1000',
    });
    try {
      await sut.waitFor('stepwise-worker ready');
      const before = sut.output().length;
      redis.kill();
      // Each of the three workers reports the outage once, through the logger.
      for (const queue of ['system', 'transitions', 'delivery']) {
        await sut.waitFor(`worker '${queue}': connect ECONNREFUSED`);
      }
      // Before, the queues and workers printed each reconnect attempt's error raw: 80 lines a second.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const lines = sut
        .output()
        .slice(before)
        .split('\n')
        .filter((line) => line.trim() !== '');
      expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
      expect(lines.length).toBeLessThan(12);

      // Redis comes back empty on the same port: the worker reconnects and schedules its sweep again.
      redis = await startRedisServer(['--maxmemory-policy', 'noeviction'], port);
      await sut.waitFor('the sweep scheduler is missing from Redis (flushed or lost); recreating it');
      const queue = new Queue(QueueName.Transitions, {
        connection: { port },
        prefix: process.env.STEPWISE_REDIS_PREFIX,
      });
      try {
        expect(await queue.getJobScheduler(SWEEP_SCHEDULER_ID)).toMatchObject({ every: 1000 });
      } finally {
        await queue.close();
      }
    } finally {
      sut.child.kill('SIGKILL');
      redis.kill();
    }
  });
});

/** A private redis-server on a free port (no persistence), answering PING before this resolves. */
async function startRedisServer(args: string[], port?: number): Promise<{ url: string; kill(): void }> {
  port ??= await freePort();
  const server = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    ...args,
  ]);
  const kill = (): void => void server.kill('SIGKILL');
  try {
    await untilRedisAnswers(port);
  } catch (error) {
    kill();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, kill };
}

/** Polls a freshly spawned redis-server until it answers PING (bounded). */
async function untilRedisAnswers(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    const answered = await probe.connect().then(
      () => probe.ping().then((reply) => reply === 'PONG'),
      () => false,
    );
    probe.disconnect();
    if (answered) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}
