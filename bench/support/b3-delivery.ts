import type Redis from 'ioredis';
import type { Client } from 'pg';
import { Agent } from 'undici';
import { planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import { RunningProcess, startProcess } from '../../test/support/processes';
import { BENCH_SECRET_KEY, publishBenchRevision, seedBenchDirectory } from '../b2-plan-fixtures';
import { cpuSeconds } from './process-cpu';
import { concurrently } from './figures';

// What B3 and its own-path variant share: their size, the receiver, the worker's environment, the
// plan's generations, the peer's POST loop and the bodies it sends, and the CPU readings.

export const SERVICES = Number(process.env.BENCH_SERVICES ?? 10_000);
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The loopback receiver (bench/b3-receiver.ts) in a process of its own, and its origin. */
export async function startReceiver(): Promise<{ receiver: RunningProcess; origin: string }> {
  const receiver = startProcess('dist/bench/b3-receiver.js', {});
  await receiver.waitFor('receiver ready');
  return { receiver, origin: `http://127.0.0.1:${/ready on (\d+)/.exec(receiver.output())?.[1]}` };
}

/** What the worker measured is configured with. */
export const workerEnvironment = (
  databaseUrl: string,
  prefix: string,
  logLevel: string,
): Record<string, string> => ({
  DATABASE_URL: databaseUrl,
  REDIS_URL,
  STEPWISE_REDIS_PREFIX: prefix,
  STEPWISE_SECRET_KEY: BENCH_SECRET_KEY,
  STEPWISE_WEBHOOK_ALLOWLIST: '127.0.0.1/32',
  STEPWISE_DELIVERY_CONCURRENCY: String(CONCURRENCY),
  STEPWISE_WORKER_METRICS_PORT: '0',
  LOG_LEVEL: logLevel,
});

/** An instant a minute ago, at which every phase the benches publish takes effect. */
const past = new Date(Date.now() - 60_000);

/** SERVICES webhook services posting to `origin`, and revision 1 (generation 1 everywhere). */
export async function seedDirectory(client: Client, origin: string): Promise<void> {
  await seedBenchDirectory(client, { count: SERVICES, webhookUrl: (id) => `${origin}/hooks/${id}` });
  await publishBenchRevision(client, 1, [{ key: 'step', at: past, enforcement: 'report-only' }]);
}

/** Waits for the worker's first sweep to deliver generation 1 everywhere (JIT, pools, caches). */
export async function warmedUp(client: Client): Promise<void> {
  await appliedEverywhere(client, 1, SERVICES);
  // Tables a minute old have planner statistics in any real deployment; these are seconds old.
  await client.query('ANALYZE services, service_rules');
}

/** Publishes revision `generation`, which changes every service's rules, and tells the worker. */
export async function publishGeneration(
  client: Client,
  redis: Redis,
  prefix: string,
  generation: number,
): Promise<void> {
  const enforcement = generation % 2 === 0 ? 'enforce' : 'report-only';
  await publishBenchRevision(client, generation, [{ key: 'step', at: past, enforcement }]);
  await redis.publish(planChangedChannel(REDIS_URL, prefix), JSON.stringify({ kind: 'policy', id: 'mfa' }));
}

/** Wall time and this process's CPU time of one loop. */
export async function measured(loop: () => Promise<number>): Promise<{ ms: number; cpuMs: number }> {
  const before = process.cpuUsage();
  const ms = await loop();
  const { user, system } = process.cpuUsage(before);
  return { ms, cpuMs: (user + system) / 1000 };
}

/** The peer: `concurrency` loops POSTing the bodies through one keep-alive undici Agent. */
export async function peerLoop(origin: string, bodies: string[], concurrency: number): Promise<number> {
  const agent = new Agent({ connections: null, keepAliveTimeout: 4_000 });
  const elapsed = await concurrently(bodies.length, concurrency, async (index) => {
    const response = await agent.request({
      origin,
      path: `/hooks/${index}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bodies[index],
    });
    await response.body.dump();
    if (response.statusCode !== 204) {
      throw new Error(`peer got ${response.statusCode}`);
    }
  });
  await agent.close();
  return elapsed;
}

/** The documents the worker sent, rebuilt as it builds them (same bytes, same size). */
export async function documents(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ body: string }>(
    `SELECT json_build_object('service', service_id, 'generation', generation, 'hash', hash,
       'computedAt', to_char(computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       'rules', rules, 'nextChangeAt', next_change_at)::text AS body FROM service_rules ORDER BY service_id`,
  );
  return rows.map((row) => row.body);
}

/** Waits until every one of `count` services has `generation` applied. */
export async function appliedEverywhere(client: Client, generation: number, count: number): Promise<void> {
  for (let polls = 0; polls < 6000; polls += 1) {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM service_rules WHERE applied_generation = $1',
      [generation],
    );
    if (rows[0].n === count) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`generation ${generation} was not applied everywhere`);
}

/** CPU seconds used so far by each PostgreSQL backend connected to the scratch database. */
export async function backendCpu(client: Client): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  const used = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      used.set(pid, cpuSeconds(pid));
    } catch {
      // Gone between the query and the read: it served nothing more.
    }
  }
  return used;
}

/** The CPU milliseconds the scratch database's backends used since `before` (new ones in full). */
export async function backendCpuSince(client: Client, before: Map<number, number>): Promise<number> {
  let total = 0;
  for (const [pid, seconds] of await backendCpu(client)) {
    total += seconds - (before.get(pid) ?? 0);
  }
  return total * 1000;
}
