import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { GENESIS_HASH } from '@stepwise/audit/audit-hash';
import { PrehashedAuditEvent } from '@stepwise/audit/audit-prehash';
import { AuditReader } from '@stepwise/audit/audit-reader';
import { AuditVerifyService } from '@stepwise/audit/audit-verify.service';
import { AUDIT_COPY_COLUMNS, copyChunks, copyIn } from '@stepwise/audit/audit-copy';
import { fmt, perSecond, runBenchmark } from './support/figures';
import { withScratchDataSource } from './support/scratch-database';

// Verify throughput over 1,000,000 chained events, against its peer: reading the same rows in the
// same keyset batches without hashing (what verification costs above the read itself).
const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const CHUNK = 50_000;

/** Writes a valid chain of TOTAL events (hashed as the writer hashes) with COPY, and moves the head. */
async function fillChain(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET synchronous_commit = off'); // scratch data: no need to wait for disk
    const start = Date.UTC(2024, 0, 1);
    let prevHash = GENESIS_HASH;
    for (let first = 1; first <= TOTAL; first += CHUNK) {
      const rows: (string | number | null)[][] = [];
      for (let seq = first; seq < Math.min(first + CHUNK, TOTAL + 1); seq += 1) {
        const occurredAt = new Date(start + seq * 10).toISOString();
        const after = { id: randomUUID(), name: `service-${seq}`, tags: ['faculty', 'vpn'], version: seq };
        const fields = {
          actor: { id: `actor-${seq % 50}`, name: `writer-${seq % 50}`, role: 'planner' },
          action: seq % 2 === 0 ? 'token.created' : 'auth.denied',
          resourceType: 'token',
          resourceId: `res-${seq % 100_000}`,
          before: null,
          after,
          reason: seq % 7 === 0 ? 'rotation' : null,
          requestId: randomUUID(),
          outcome: 'success',
        };
        const hash = new PrehashedAuditEvent(fields).hash(seq, occurredAt, prevHash);
        rows.push([
          seq,
          occurredAt,
          fields.actor.id,
          fields.actor.name,
          fields.actor.role,
          fields.action,
          fields.resourceType,
          fields.resourceId,
          null,
          JSON.stringify(after),
          fields.reason,
          fields.requestId,
          fields.outcome,
          prevHash,
          hash,
        ]);
        prevHash = hash;
      }
      await copyIn(client, `COPY audit_events ${AUDIT_COPY_COLUMNS} FROM STDIN`, copyChunks(rows));
    }
    await client.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [TOTAL, prevHash]);
    await client.query('ANALYZE audit_events');
  } finally {
    await client.end();
  }
}

/** Runs `body` while sampling resident memory; returns its time and the peak growth over the start. */
async function measured<T>(body: () => Promise<T>): Promise<{ result: T; ms: number; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  const result = await body();
  const ms = performance.now() - start;
  clearInterval(sampler);
  return { result, ms, peakMb: (Math.max(peak, process.memoryUsage().rss) - base) / 2 ** 20 };
}

runBenchmark(() =>
  withScratchDataSource(
    'verify',
    async ({ url, dataSource }) => {
      const fillStart = performance.now();
      await fillChain(url);
      const fillMs = performance.now() - fillStart;
      const reader = new AuditReader(dataSource);
      const readAll = async () => {
        let count = 0;
        for await (const batch of reader.batches({}, { upToSeq: TOTAL })) {
          count += batch.length;
        }
        return count;
      };
      await readAll(); // warm-up: both sides then read from the same cache
      const verify = await measured(() => new AuditVerifyService(reader).verify());
      const read = await measured(readAll);
      if (!verify.result.ok || verify.result.checked !== TOTAL) {
        throw new Error(JSON.stringify(verify.result));
      }
      const verifyRate = perSecond(TOTAL, verify.ms);
      const readRate = perSecond(read.result, read.ms);
      process.stdout.write(
        [
          `Audit verify over ${fmt(TOTAL)} events (chain written in ${fmt(fillMs)} ms)`,
          `  verify (read + recompute every hash): ${fmt(verifyRate)} events/s (${fmt(verify.ms)} ms, peak RSS +${verify.peakMb.toFixed(0)} MiB)`,
          `  peer: the same batched read, no hashing: ${fmt(readRate)} events/s (${fmt(read.ms)} ms, peak RSS +${read.peakMb.toFixed(0)} MiB)`,
          `  ratio: ${(verifyRate / readRate).toFixed(2)}× of the bare read`,
          '',
        ].join('\n'),
      );
    },
    4,
  ),
);
