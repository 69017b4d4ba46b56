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
import { AUDIT_ROW_TEXT_COLUMNS } from './support/audit-row-text';

// B4: audit append throughput under concurrent writers, through AuditLog.append (group commit,
// each caller answered after its transaction commits), against a raw COPY of the identical rows
// into an identical table, in alternating rounds: each pair is one round of ours and the peer's
// copy of exactly those rows. The machine is shared and its speed drifts by a third within
// minutes, so each writer count runs BENCH_PAIRS pairs and reports the median ratio and the range.
// Target ≥ 0.5× under load, judged at the appender's capacity (see capacityVerdict); the smaller writer
// counts show where the flush's latency stops bounding it (two groups of 32, 48 and 64).
const WRITERS = (process.env.BENCH_WRITERS ?? '64,96,128,512,2000').split(',').map(Number);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 30_000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const TIME_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_MS ?? 15_000);
const WARM_UP_EVENTS = 20_000;
/** Transaction sizes for the server's own ceiling (see serverCeiling). */
const CEILING_GROUPS = [32, 64];

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
      while (next < total && performance.now() < deadline) {
        await call(next++);
      }
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
    `SELECT ${AUDIT_ROW_TEXT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq`,
    [afterSeq],
  );
  const chunks = copyChunks(rows.map((row) => Object.values(row)));
  const start = performance.now();
  await copyIn(client, `COPY audit_events_peer ${AUDIT_COPY_COLUMNS} FROM STDIN`, chunks);
  return { rows: rows.length, ms: performance.now() - start };
}

/**
 * What PostgreSQL alone allows for durable transactions of each of CEILING_GROUPS rows on this
 * machine: the `EVENTS` newest rows, cut into such transactions (`BEGIN`, a head row's update,
 * the rows as one COPY, `COMMIT`, as the group commit sends them) and all sent at once on one
 * pipelined connection, so that the server never waits on a client; against one COPY of the
 * same rows. Both go into fresh tables like `audit_events`, dropped after. With 64 writers a group
 * holds at most 64 events, and about 32 while two groups overlap, so this bounds what any client
 * can reach.
 */
async function serverCeiling(
  dataSource: DataSource,
  url: string,
): Promise<{ peer: number; groups: Map<number, number> }> {
  const rows = await dataSource.query<Record<string, string | null>[]>(
    `SELECT ${AUDIT_ROW_TEXT_COLUMNS} FROM audit_events ORDER BY seq DESC LIMIT $1`,
    [EVENTS],
  );
  const values = rows.reverse().map((row) => Object.values(row));
  // node-postgres' pipeline mode, as the group commit's own connection uses it.
  const client = new Client({ connectionString: url, pipeline: true });
  await client.connect();
  try {
    const timedCopy = async (table: string, transactions: { sql: string; chunks: Buffer[] }[]) => {
      await client.query(`CREATE TABLE ${table} (LIKE audit_events INCLUDING ALL);
        CREATE TABLE ${table}_head (LIKE audit_head INCLUDING ALL);
        INSERT INTO ${table}_head SELECT * FROM audit_head`);
      const start = performance.now();
      await Promise.all(transactions.map(({ sql, chunks }) => copyIn(client, sql, chunks)));
      const rate = perSecond(values.length, performance.now() - start);
      await client.query(`DROP TABLE ${table}; DROP TABLE ${table}_head`);
      return rate;
    };
    const peer = await timedCopy('ceiling_peer', [
      { sql: `COPY ceiling_peer ${AUDIT_COPY_COLUMNS} FROM STDIN`, chunks: copyChunks(values) },
    ]);
    const groups = new Map<number, number>();
    for (const size of CEILING_GROUPS) {
      const transactions = [];
      for (let first = 0; first < values.length; first += size) {
        const group = values.slice(first, first + size);
        // The head moves to the group's last row: seq is its first column, hash its last.
        const last = group[group.length - 1];
        const [seq, hash] = [last[0], last[last.length - 1]];
        transactions.push({
          sql: `BEGIN; UPDATE ceiling_groups_head SET seq = ${seq}, hash = '${hash}';
            COPY ceiling_groups ${AUDIT_COPY_COLUMNS} FROM STDIN; COMMIT`,
          chunks: copyChunks(group),
        });
      }
      groups.set(size, await timedCopy('ceiling_groups', transactions));
    }
    return { peer, groups };
  } finally {
    await client.end();
  }
}

/** `lowest–highest×` of some ratios, as every B4 line prints their range. */
const rangeOf = (ratios: readonly number[]): string =>
  `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×`;

/** The pair whose ratio is the median (the lower middle one for an even count). */
function medianPair<T extends { ratio: number }>(pairs: readonly T[]): T {
  const sorted = [...pairs].sort((a, b) => a.ratio - b.ratio);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * The target is judged under load: at the appender's capacity, the writer count of this run with
 * the highest throughput, as the peer's single COPY is the server's capacity. Fewer writers, each
 * answered only after its group's WAL flush, measure that flush's latency (Little's law: writers
 * per round trip), and are named beside it.
 */
function capacityVerdict(medians: readonly { writers: number; ours: number; ratio: number }[]): string {
  const capacity = medians.reduce((best, median) => (median.ours > best.ours ? median : best));
  const below = medians.filter((median) => median.writers < capacity.writers && median.ratio < 0.5);
  return (
    `  verdict: at capacity (${capacity.writers} writers, the highest throughput of this run) ` +
    `${capacity.ratio.toFixed(2)}×, target ≥ 0.5× ${capacity.ratio >= 0.5 ? 'met' : 'MISSED'}` +
    (below.length === 0
      ? ''
      : `; below 0.5× with fewer writers (bound by the flush's latency): ${below.map((m) => `${m.writers} writers ${m.ratio.toFixed(2)}×`).join(', ')}`)
  );
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
        return log.record(context, event);
      };
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE audit_events_peer (LIKE audit_events INCLUDING ALL)');
      // Warm-up: connections, plans, caches, and the JIT (a server appends for days; a short
      // warm-up left the first measured round slower than the next: docs/benchmarks.md).
      await underLoad(64, WARM_UP_EVENTS, append);
      const lines = [`B4 audit append (${EVENTS} events per round, time-capped at ${TIME_LIMIT_MS} ms)`];
      const medians: { writers: number; ours: number; ratio: number }[] = [];
      for (const writers of WRITERS) {
        const pairs: { ours: number; peer: number; ratio: number }[] = [];
        for (let pair = 0; pair < PAIRS; pair += 1) {
          const before = await lastSeq(dataSource);
          const ours = await underLoad(writers, EVENTS, append);
          // Exactly the rows this round stored.
          const peer = await copyPeer(dataSource, client, before);
          if (peer.rows !== ours.count) {
            throw new Error(`copied ${peer.rows} rows for ${ours.count} appends`);
          }
          const oursRate = perSecond(ours.count, ours.ms);
          const peerRate = perSecond(peer.rows, peer.ms);
          pairs.push({ ours: oursRate, peer: peerRate, ratio: oursRate / peerRate });
        }
        const median = medianPair(pairs);
        medians.push({ writers, ours: median.ours, ratio: median.ratio });
        const ratios = pairs.map((pair) => pair.ratio);
        lines.push(
          `  ${String(writers).padStart(4)} writers: AuditLog.append ${fmt(median.ours)} rows/s, ` +
            `raw COPY ${fmt(median.peer)} rows/s, ratio ${median.ratio.toFixed(2)}× ` +
            `(median of ${PAIRS} pairs, range ${rangeOf(ratios)}; target ≥ 0.5×)`,
        );
      }
      lines.push(capacityVerdict(medians));
      await client.end();
      // The server's own ceiling for the transactions the group commit makes.
      const ceilings = [];
      for (let pair = 0; pair < PAIRS; pair += 1) {
        ceilings.push(await serverCeiling(dataSource, url));
      }
      for (const size of CEILING_GROUPS) {
        const ratios = ceilings.map((ceiling) => (ceiling.groups.get(size) ?? 0) / ceiling.peer);
        const median = medianPair(ratios.map((ratio) => ({ ratio }))).ratio;
        lines.push(
          `  info: PostgreSQL alone, durable transactions of ${size} rows pipelined with no client work between them: ` +
            `${median.toFixed(2)}× the single COPY (median of ${PAIRS}, range ${rangeOf(ratios)})`,
        );
      }
      // For the record: changes audited through run() are not batched (one transaction each).
      const perChange = await underLoad(64, 3_000, async () => {
        const { context, event } = workItem(issued++);
        await log.change(context, async ({ audit }) => audit(event));
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
