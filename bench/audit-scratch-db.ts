import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@stepwise/persistence/data-source-options';
import { runMigrationsLocked } from '@stepwise/persistence/migration-runner';

export interface ScratchDatabase {
  url: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

/** The PostgreSQL server to benchmark on; only its address is used, the database is our own. */
const serverUrl = (): URL =>
  new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

async function asAdmin(sql: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl().toString() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh database with every migration applied (the real schema: indexes, trigger, head row),
 * dropped afterwards, also on Ctrl-C, so a benchmark never touches anyone's data.
 */
export async function createScratchDatabase(label: string, poolSize = 20): Promise<ScratchDatabase> {
  const name = `stepwise_bench_${label}_${process.pid}`;
  await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = serverUrl();
  url.pathname = `/${name}`;
  const dataSource = await new DataSource(
    dataSourceOptions(url.toString(), Math.max(poolSize, 2)),
  ).initialize();
  await runMigrationsLocked(dataSource);
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await dataSource.destroy().catch(() => undefined);
    await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  process.once('SIGINT', () => {
    void drop().finally(() => process.exit(130));
  });
  return { url: url.toString(), dataSource, drop };
}

/** Runs a benchmark body against a scratch database and always drops it. */
export async function withScratchDatabase(
  label: string,
  body: (db: ScratchDatabase) => Promise<void>,
  poolSize?: number,
): Promise<void> {
  const db = await createScratchDatabase(label, poolSize);
  try {
    await body(db);
  } finally {
    await db.drop();
  }
}

export const perSecond = (count: number, ms: number): number => Math.round((count * 1000) / ms);

export const fmt = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
