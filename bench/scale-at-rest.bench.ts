import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { freePort, startProcess, type RunningProcess } from '../test/support/processes';
import { clearRedisPrefix } from '../test/support/redis-keys';
import {
  BENCH_SECRET_KEY,
  benchServiceId,
  boundRun,
  percentile,
  seedBenchDirectory,
} from './b2-plan-fixtures';
import { fmt, runBenchmark } from './support/figures';
import { createScratchDatabase } from './support/scratch-database';

// Scale at rest (issue 22, part 6): a directory of 100,000 services and an audit log of 1,000,000
// events. Measured: the API's resident memory (target <= 300 MB), the time from a publication that
// changes every service to all 100,000 rules documents stored and the API's snapshot showing it,
// and `GET /rollout`'s first page (target p95 <= 50 ms, server time from Fastify's responseTime).
// Absolute targets: the peer of each figure is the target itself.
const SERVICES = Number(process.env.BENCH_SERVICES ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ROLLOUT_REQUESTS = Number(process.env.BENCH_ROUNDS ?? 200);
const ADMIN = 'bench-admin-token-0123456789';
const PREFIX = `stepwise-bench-scale-${process.pid}`;

// The audit log at rest: rows are filled in one statement (their hashes are placeholders, as in
// B5), and the head row points at the last one so that new events chain on.
const FILL_AUDIT = `INSERT INTO audit_events (seq, occurred_at, actor_id, actor_name, actor_role, action,
    resource_type, resource_id, before, after, reason, request_id, outcome, prev_hash, hash)
  SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '10 milliseconds',
    'actor-' || (g % 50), 'writer-' || (g % 50), 'planner',
    (ARRAY['token.created', 'service.created', 'rules.applied', 'revision.published'])[1 + g % 4],
    'service', 'bench-' || lpad((1 + g % 100000)::text, 5, '0'), NULL, jsonb_build_object('n', g), NULL,
    md5(g::text), 'success', md5((g - 1)::text) || md5((g - 1)::text), md5(g::text) || md5(g::text)
  FROM generate_series(1, $1::bigint) AS g`;

const rssMiB = (process: RunningProcess): number => {
  const status = readFileSync(`/proc/${process.child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
};

async function until(what: string, seconds: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!(await check().catch(() => false))) {
    if (performance.now() > deadline) {
      throw new Error(`${what}: not within ${seconds} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  boundRun(900);
  const db = await createScratchDatabase('scale');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  let api: RunningProcess | null = null;
  let worker: RunningProcess | null = null;
  try {
    const fillStarted = performance.now();
    await seedBenchDirectory(client, { count: SERVICES });
    await client.query(`UPDATE policies SET require_approval = true WHERE id = 'mfa'`);
    await client.query('BEGIN');
    await client.query('SET LOCAL synchronous_commit = off');
    await client.query(FILL_AUDIT, [EVENTS]);
    await client.query(
      `UPDATE audit_head SET seq = $1::bigint, hash = md5($1::bigint::text) || md5($1::bigint::text)`,
      [EVENTS],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
    const fillMs = performance.now() - fillStarted;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: db.url,
      STEPWISE_ADMIN_TOKEN: ADMIN,
      STEPWISE_SECRET_KEY: BENCH_SECRET_KEY,
      STEPWISE_RATE_LIMIT_PER_MINUTE: '0',
      STEPWISE_REDIS_PREFIX: PREFIX,
      STEPWISE_WORKER_METRICS_PORT: '0',
      STEPWISE_LOG_FORMAT: 'json',
    };
    const started = performance.now();
    // Fastify logs each answer's responseTime at info: the server's own time.
    api = startProcess('dist/apps/api/src/main.js', { ...env, PORT: String(port), LOG_LEVEL: 'info' });
    worker = startProcess('dist/apps/worker/src/main.js', { ...env, LOG_LEVEL: 'warn' });
    await until('API ready', 300, async () => (await fetch(`${base}/health/ready`)).ok);
    const apiReadyMs = performance.now() - started;
    const count = async (sql: string): Promise<number> =>
      Number((await client.query<{ n: string }>(sql)).rows[0].n);
    await until(
      'first rules computed',
      600,
      async () => (await count('SELECT count(*) AS n FROM service_rules')) === SERVICES,
    );
    const firstComputeMs = performance.now() - started;

    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status >= 300) {
        throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      }
      return (await res.json()) as Record<string, unknown>;
    };
    const token = async (name: string) =>
      (await call('POST', '/tokens', ADMIN, { name, role: 'planner' })).token as string;
    const [author, approver] = [await token('bench-a'), await token('bench-b')];
    const draft = await call('POST', '/policies/mfa/revisions', author, {
      summary: 'Every bench service enforced',
      reason: 'scale bench',
      phases: [
        {
          key: 'all',
          title: 'All systems',
          effective: { at: '2024-01-01T00:00:00Z' },
          scope: { selector: { tags: ['bench'] } },
          enforcement: 'enforce',
          state: 'active',
        },
      ],
      standingRules: [],
    });
    const path = `/policies/mfa/revisions/${String(draft.number)}`;
    await call('POST', `${path}/submit`, author, {});
    await call('POST', `${path}/approve`, approver, {});
    const publishStarted = performance.now();
    await call('POST', `${path}/publish`, approver, {});
    const last = benchServiceId(SERVICES);
    await until('snapshot rebuilt', 300, async () => {
      const answer = await call('GET', `/services/${last}/requirements`, approver);
      const requirements = answer.requirements as { level: string }[];
      return requirements.some((requirement) => requirement.level === 'enforced');
    });
    const snapshotMs = performance.now() - publishStarted;
    await until(
      'every rules document stored',
      600,
      async () =>
        (await count(`SELECT count(*) AS n FROM service_rules WHERE rules::text LIKE '%"enforced"%'`)) ===
        SERVICES,
    );
    const storedMs = performance.now() - publishStarted;

    const seenLines = api.output().split('\n').length;
    const client95: number[] = [];
    for (let i = 0; i < ROLLOUT_REQUESTS; i += 1) {
      const t = performance.now();
      const page = await call('GET', '/rollout', approver);
      client95.push(performance.now() - t);
      if ((page.items as unknown[]).length === 0) {
        throw new Error('an empty rollout page');
      }
    }
    // At rest: a moment for the collector and the last log lines, then what the process holds.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rolloutIds = new Set<string>();
    const serverTimes: number[] = [];
    for (const line of api
      .output()
      .split('\n')
      .slice(seenLines - 1)) {
      if (!line.startsWith('{')) {
        continue;
      }
      const entry = JSON.parse(line) as { reqId?: string; req?: { url?: string }; responseTime?: number };
      if (entry.reqId !== undefined && entry.req?.url?.startsWith('/api/v1/rollout') === true) {
        rolloutIds.add(entry.reqId);
      }
      if (entry.reqId !== undefined && entry.responseTime !== undefined && rolloutIds.has(entry.reqId)) {
        serverTimes.push(entry.responseTime);
      }
    }
    const apiRss = rssMiB(api);
    const workerRss = rssMiB(worker);

    console.log(
      `scale at rest: ${fmt(SERVICES)} services, ${fmt(EVENTS)} audit events (filled in ${fmt(fillMs)} ms)`,
    );
    console.log(
      `  API ready after ${fmt(apiReadyMs)} ms; first rules of every service stored after ${fmt(firstComputeMs)} ms`,
    );
    console.log(
      `  publish -> the API's snapshot shows it: ${fmt(snapshotMs)} ms; -> all ${fmt(SERVICES)} rules documents stored: ${fmt(storedMs)} ms`,
    );
    console.log(
      `  GET /rollout first page: server p95 ${fmt(percentile(serverTimes, 95))} ms over ${serverTimes.length} (client round trip p95 ${fmt(percentile(client95, 95))} ms) (target <= 50 ms)`,
    );
    console.log(
      `  resident memory at rest: API ${fmt(apiRss)} MiB (target <= 300 MB), worker ${fmt(workerRss)} MiB`,
    );
  } finally {
    for (const running of [api, worker]) {
      running?.child.kill('SIGTERM');
      await running?.exited(30_000).catch(() => running.child.kill('SIGKILL'));
    }
    await client.end();
    await clearRedisPrefix(PREFIX);
    await db.drop();
  }
}

runBenchmark(main);
