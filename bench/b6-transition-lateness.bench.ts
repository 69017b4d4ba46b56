import { randomBytes } from 'node:crypto';
import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import { QueueName } from '@stepwise/queue/queue-catalogue';
import Redis from 'ioredis';
import { Client } from 'pg';
import { planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import { startProcess } from '../test/support/processes';
import { clearRedisPrefix } from '../test/support/redis-keys';
import { createScratchDatabase } from './support/scratch-database';
import {
  benchServiceId,
  boundRun,
  percentile,
  publishBenchRevision,
  seedBenchDirectory,
} from './b2-plan-fixtures';

// B6: how late a transition fires. Stepwise: a phase per service at instants INTERVAL_MS apart;
// lateness = when the worker computed the new rules (service_rules.computed_at) minus the instant.
// Peer: a raw BullMQ delayed no-op job per instant, same spacing, same Redis; lateness = when
// its processor started minus the instant. Target: p99 <= peer p99 + 20 ms.
const INSTANTS = Number(process.env.BENCH_INSTANTS ?? 200);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 50);
const LEAD_MS = 5_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main(): Promise<void> {
  boundRun(180);
  const db = await createScratchDatabase('b6');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const prefix = `stepwise-bench-b6-${randomBytes(3).toString('hex')}`;
  const redis = new Redis(REDIS_URL);
  const worker = startProcess('dist/apps/worker/src/main.js', {
    DATABASE_URL: db.url,
    REDIS_URL,
    STEPWISE_REDIS_PREFIX: prefix,
    STEPWISE_WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'info',
  });
  try {
    const hz = ((await redis.config('GET', 'hz')) as string[])[1];
    const ids = await seedBenchDirectory(client, { count: INSTANTS });
    await worker.waitFor('stepwise-worker ready', 60_000);
    const fired = await firedLateness(prefix);
    const start = Date.now() + LEAD_MS;
    const instants = ids.map((_, index) => start + index * INTERVAL_MS);
    await publishBenchRevision(
      client,
      1,
      ids.map((id, index) => ({
        key: `at-${index}`,
        at: new Date(instants[index]),
        enforcement: 'enforce',
        services: [id],
      })),
    );
    await redis.publish(planChangedChannel(REDIS_URL, prefix), JSON.stringify({ kind: 'policy', id: 'mfa' }));
    await new Promise((resolve) => setTimeout(resolve, instants[instants.length - 1] - Date.now() + 2_000));
    const ours = await stepwiseLateness(client, instants);
    await fired.close();
    const peer = await peerLateness(prefix);
    const line = (what: string, values: number[]): string =>
      `  ${what}: p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms (${values.length} instants)\n`;
    const p99Gap = percentile(ours, 99) - percentile(peer, 99);
    process.stdout.write(
      `B6: ${INSTANTS} transition instants ${INTERVAL_MS} ms apart, Redis hz ${hz}\n` +
        line('stepwise transition job (instant -> processor started, as the peer)', fired.lateness) +
        line('stepwise transition (instant -> new rules computed)', ours) +
        line('peer raw BullMQ delayed no-op job (instant -> processor started)', peer) +
        `  p99 difference ${p99Gap.toFixed(1)} ms (target <= 20 ms)\n`,
    );
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exited(30_000).catch(() => undefined);
    await clearRedisPrefix(prefix, REDIS_URL);
    redis.disconnect();
    await client.end();
    await db.drop();
  }
}

async function stepwiseLateness(client: Client, instants: number[]): Promise<number[]> {
  const { rows } = await client.query<{ service_id: string; computed_at: Date; enforced: boolean }>(
    `SELECT service_id, computed_at, rules::jsonb @> '[{"level": "enforced"}]' AS enforced FROM service_rules`,
  );
  const byId = new Map(rows.map((row) => [row.service_id, row]));
  return instants.map((instant, index) => {
    const row = byId.get(benchServiceId(index + 1));
    if (!row?.enforced) {
      throw new Error(`transition ${index} was not applied`);
    }
    return row.computed_at.getTime() - instant;
  });
}

/** How late each transition job started, as the worker reports it in the job's return value. */
async function firedLateness(prefix: string): Promise<{ lateness: number[]; close(): Promise<void> }> {
  const events = new QueueEvents(QueueName.Transitions, { connection: { url: REDIS_URL }, prefix });
  await events.waitUntilReady();
  const lateness: number[] = [];
  events.on('completed', ({ returnvalue }) => {
    const summary = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as {
      trigger?: string;
      firedLateMs?: number;
    };
    if (summary.trigger === 'transition' && summary.firedLateMs !== undefined) {
      lateness.push(summary.firedLateMs);
    }
  });
  return { lateness, close: () => events.close() };
}

async function peerLateness(prefix: string): Promise<number[]> {
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const queue = new Queue('b6-peer', { connection, prefix });
  const lateness: number[] = [];
  const worker = new Worker(
    'b6-peer',
    async (job: Job<{ at: number }>) => {
      lateness.push(Date.now() - job.data.at);
    },
    { connection, prefix, concurrency: 1 },
  );
  await worker.waitUntilReady();
  const start = Date.now() + LEAD_MS;
  const instants = Array.from({ length: INSTANTS }, (_, index) => start + index * INTERVAL_MS);
  await queue.addBulk(
    instants.map((at) => ({
      name: 'noop',
      data: { at },
      opts: { delay: at - Date.now(), removeOnComplete: true },
    })),
  );
  while (lateness.length < INSTANTS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await worker.close();
  await queue.close();
  return lateness;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
