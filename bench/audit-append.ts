import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { AuditContext, AuditEventInput, AuditLog } from '@stepwise/audit/audit-log';
import { AuditReader } from '@stepwise/audit/audit-reader';
import { AuditVerifyService } from '@stepwise/audit/audit-verify.service';
import { AUDIT_COPY_COLUMNS, copyChunks, copyIn } from '@stepwise/audit/audit-copy';
import { fmt, perSecond, runBenchmark } from './support/figures';
import { withScratchDataSource } from './support/scratch-database';

// B4: audit append throughput under concurrent writers, through AuditLog.append (group commit,
// each caller answered after its transaction commits), against a raw COPY of the identical rows
// into an identical table, in alternating rounds: each pair is one round of ours and the peer's
// copy of exactly those rows. The machine is shared and its speed drifts by a third within
// minutes, so each writer count runs BENCH_PAIRS pairs and reports the median ratio and the range.
// Target ≥ 0.5×.
const WRITERS = (process.env.BENCH_WRITERS ?? '64,512,2000').split(',').map(Number);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 30_000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const TIME_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_MS ?? 15_000);
const WARM_UP_EVENTS = 20_000;

const actors = Array.from({ length: 20 }, (_, i) => ({
  id: randomUUID(),
  name: `writer-${i}`,
  role: 'planner' as const,
  services: null,
}));

const workItem = (i: number): { context: AuditContext; event: AuditEventInput } => ({
  context: { actor: actors[i % actors.length], requestId: randomUUID() },
  event: {
    action: 'auth.denied',
    resourceType: 'route',
    resourceId: 'POST /api/v1/policies/:id/revisions/:n/publish',
    after: { id: randomUUID(), name: `service-${i}`, tags: ['faculty', 'vpn'], version: i },
    reason: "role 'planner' may not call this route",
    outcome: 'denied',
  },
});

/** `writers` callers, each awaiting its call before the next, until `total` or the time limit. */
async function underLoad(
  writers: number,
  total: number,
  call: (i: number) => Promise<void>,
): Promise<{ count: number; ms: number }> {
  let next = 0;
  const start = performance.now();
  const deadline = start + TIME_LIMIT_MS;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total && performance.now() < deadline) await call(next++);
    }),
  );
  return { count: next, ms: performance.now() - start };
}

/** The peer: the rows AuditLog stored after `afterSeq`, as COPY text prepared before the clock starts. */
async function copyPeer(
  dataSource: DataSource,
  client: Client,
  afterSeq: string,
): Promise<{ rows: number; ms: number }> {
  const rows = await dataSource.query<Record<string, string | null>[]>(
    `SELECT seq::text, occurred_at::text, actor_id, actor_name, actor_role, action, resource_type,
       resource_id, before::text, after::text, reason, request_id, outcome, prev_hash, hash
     FROM audit_events WHERE seq > $1 ORDER BY seq`,
    [afterSeq],
  );
  const chunks = copyChunks(rows.map((row) => Object.values(row)));
  const start = performance.now();
  await copyIn(client, `COPY audit_events_peer ${AUDIT_COPY_COLUMNS} FROM STDIN`, chunks);
  return { rows: rows.length, ms: performance.now() - start };
}

/** The pair whose ratio is the median (the lower middle one for an even count). */
function medianPair<T extends { ratio: number }>(pairs: readonly T[]): T {
  const sorted = [...pairs].sort((a, b) => a.ratio - b.ratio);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const lastSeq = async (dataSource: DataSource): Promise<string> =>
  (
    await dataSource.query<{ seq: string }[]>('SELECT coalesce(max(seq), 0)::text AS seq FROM audit_events')
  )[0].seq;

runBenchmark(() =>
  withScratchDataSource(
    'append',
    async ({ url, dataSource }) => {
      const log = new AuditLog(dataSource);
      let issued = 0;
      const append = () => {
        const { context, event } = workItem(issued++);
        return log.append(context, event);
      };
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE audit_events_peer (LIKE audit_events INCLUDING ALL)');
      // Warm-up: connections, plans, caches, and the JIT (a server appends for days; 2,000 events
      // left the first measured round a third slower than the next).
      await underLoad(64, WARM_UP_EVENTS, append);
      const lines = [`B4 audit append (${EVENTS} events per round, time-capped at ${TIME_LIMIT_MS} ms)`];
      for (const writers of WRITERS) {
        const pairs: { ours: number; peer: number; ratio: number }[] = [];
        for (let pair = 0; pair < PAIRS; pair += 1) {
          const before = await lastSeq(dataSource);
          const ours = await underLoad(writers, EVENTS, append);
          // Exactly the rows this round stored.
          const peer = await copyPeer(dataSource, client, before);
          if (peer.rows !== ours.count) throw new Error(`copied ${peer.rows} rows for ${ours.count} appends`);
          const oursRate = perSecond(ours.count, ours.ms);
          const peerRate = perSecond(peer.rows, peer.ms);
          pairs.push({ ours: oursRate, peer: peerRate, ratio: oursRate / peerRate });
        }
        const median = medianPair(pairs);
        const ratios = pairs.map((pair) => pair.ratio);
        lines.push(
          `  ${String(writers).padStart(4)} writers: AuditLog.append ${fmt(median.ours)} rows/s, ` +
            `raw COPY ${fmt(median.peer)} rows/s, ratio ${median.ratio.toFixed(2)}× ` +
            `(median of ${PAIRS} pairs, range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×; target ≥ 0.5×)`,
        );
      }
      await client.end();
      // For the record: changes audited through run() are not batched (one transaction each).
      const perChange = await underLoad(64, 3_000, async () => {
        const { context, event } = workItem(issued++);
        await log.run(context, async ({ audit }) => audit(event));
      });
      lines.push(
        `  info: AuditLog.run, one transaction per change, 64 writers: ${fmt(perSecond(perChange.count, perChange.ms))} rows/s`,
      );
      await log.onApplicationShutdown();
      const verdict = await new AuditVerifyService(new AuditReader(dataSource)).verify();
      lines.push(
        `  chain after the run: ${verdict.ok ? `ok, ${fmt(verdict.checked)} events` : JSON.stringify(verdict)}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    },
    24,
  ),
);
