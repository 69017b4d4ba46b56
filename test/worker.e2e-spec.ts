import { spawn } from 'node:child_process';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import { QueueName, SystemJob, workerHeartbeatKey } from '@stepwise/queue/queue-catalogue';
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
      await sut.waitFor('WorkerModule dependencies initialized');
      const started = Date.now();
      sut.child.kill('SIGTERM');
      const { code } = await sut.exited(30000);
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(26000);
    } finally {
      if (sut.child.exitCode === null) sut.child.kill('SIGKILL');
    }
  });
});

describe('Redis eviction policy check', () => {
  it('refuses to start the API and the worker when Redis may evict keys, saying so', async () => {
    const port = await freePort();
    const server = spawn('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'allkeys-lru',
    ]);
    try {
      await untilRedisAnswers(port);
      for (const app of ['dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js']) {
        const sut = startProcess(app, { REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0' });
        const { code } = await sut.exited(20000);
        expect(code).not.toBe(0);
        expect(sut.output()).toContain('noeviction');
      }
    } finally {
      server.kill('SIGKILL');
    }
  });
});

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
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}
