import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditLog } from '@stepwise/audit/audit-log';
import { SystemClock } from '@stepwise/common/clock';
import { DesiredStateRefresher } from '@stepwise/enforcement/desired-state.refresher';
import { PlanLoader } from '@stepwise/plan-snapshot/plan-loader';
import { dataSourceOptions } from '@stepwise/persistence/data-source-options';
import { createScratchDatabase } from './support/scratch-database';
import { boundRun, percentile, publishBenchRevision, seedBenchDirectory } from './b2-plan-fixtures';

// B2: a publication that changes 10,000 services, from the revision's commit to every new
// desired generation stored (DesiredStateRefresher.refresh: load, compute, one upsert), against a
// raw `pg` INSERT … unnest of the very same rows into an identical empty table.
// Target: >= 0.5x the peer's rows/s, and the whole publish-to-stored <= 2 s.
const SERVICES = Number(process.env.BENCH_SERVICES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const PEER_INSERT = `INSERT INTO peer_rules (service_id, generation, hash, rules, next_change_at, computed_at)
  SELECT r.service_id, r.generation, r.hash, r.rules, r.next_change_at, r.computed_at
  FROM unnest($1::text[], $2::int[], $3::text[], $4::json[], $5::timestamptz[], $6::timestamptz[])
    AS r(service_id, generation, hash, rules, next_change_at, computed_at)`;

async function main(): Promise<void> {
  boundRun(300);
  Logger.overrideLogger(['warn', 'error']);
  const db = await createScratchDatabase('b2');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const dataSource = await new DataSource(dataSourceOptions(db.url, 4)).initialize();
  const refresher = new DesiredStateRefresher(
    dataSource,
    new PlanLoader(dataSource),
    new AuditLog(dataSource),
    new SystemClock(),
  );
  try {
    await seedBenchDirectory(client, { count: SERVICES });
    await client.query('CREATE TABLE peer_rules (LIKE service_rules INCLUDING ALL)');
    const past = new Date(Date.now() - 60_000);
    await publishBenchRevision(client, 1, [{ key: 'step', at: past, enforcement: 'report-only' }]);
    await refresher.refresh(); // warm-up: JIT, and every service's first generation
    const ours: number[] = [];
    const peer: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate the level: every service's rules change each round.
      const enforcement = round % 2 === 0 ? 'enforce' : 'report-only';
      const started = performance.now();
      await publishBenchRevision(client, round + 2, [{ key: 'step', at: past, enforcement }]);
      const result = await refresher.refresh();
      ours.push(performance.now() - started);
      if (result.changed.length !== SERVICES) {
        throw new Error(`expected ${SERVICES} changes, got ${result.changed.length}`);
      }
      peer.push(await peerInsert(client));
    }
    const median = (values: number[]) => percentile(values, 50);
    const oursRate = SERVICES / (median(ours) / 1000);
    const peerRate = SERVICES / (median(peer) / 1000);
    process.stdout.write(
      `B2: ${SERVICES} services changed per publication, ${ROUNDS} rounds, medians\n` +
        `  stepwise publish -> generations stored: ${median(ours).toFixed(0)} ms (${oursRate.toFixed(0)} rows/s; ` +
        `max ${Math.max(...ours).toFixed(0)} ms; target <= 2000 ms)\n` +
        `  peer raw pg INSERT ... unnest of the same rows: ${median(peer).toFixed(0)} ms (${peerRate.toFixed(0)} rows/s)\n` +
        `  ratio ${(oursRate / peerRate).toFixed(2)}x (target >= 0.5)\n`,
    );
  } finally {
    await dataSource.destroy();
    await client.end();
    await db.drop();
  }
}

/** The peer: the rows just stored, read back, inserted raw into an empty identical table. */
async function peerInsert(client: Client): Promise<number> {
  const { rows } = await client.query<{
    service_id: string;
    generation: number;
    hash: string;
    rules: string;
    next_change_at: Date | null;
    computed_at: Date;
  }>(
    'SELECT service_id, generation, hash, rules::text AS rules, next_change_at, computed_at FROM service_rules',
  );
  await client.query('TRUNCATE peer_rules');
  const columns = [
    rows.map((row) => row.service_id),
    rows.map((row) => row.generation),
    rows.map((row) => row.hash),
    rows.map((row) => row.rules),
    rows.map((row) => row.next_change_at),
    rows.map((row) => row.computed_at),
  ];
  const started = performance.now();
  await client.query(PEER_INSERT, columns);
  return performance.now() - started;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
