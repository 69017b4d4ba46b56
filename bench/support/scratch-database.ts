import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@stepwise/persistence/data-source-options';

/** The PostgreSQL server to benchmark on; only its address is used, the databases are our own. */
const serverUrl = (): URL =>
  new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

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
 * A fresh database for one benchmark run (`stepwise_bench_<label>_<pid>`), migrated (and seeded
 * if asked) through the real CLI, dropped by `drop()` and also on Ctrl-C, so a benchmark never
 * touches anyone's data.
 */
export async function createScratchDatabase(
  label: string,
  options: { seed?: boolean } = {},
): Promise<ScratchDatabase> {
  const name = `stepwise_bench_${label}_${process.pid}`;
  await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = serverUrl();
  url.pathname = `/${name}`;
  const env = { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' };
  execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'migrate'], { env, stdio: 'inherit' });
  if (options.seed) {
    execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'seed'], { env, stdio: 'inherit' });
  }
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) {
      return;
    }
    dropped = true;
    await asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  process.once('SIGINT', () => {
    void drop().finally(() => process.exit(130));
  });
  return { url: url.toString(), drop };
}

/** A scratch database with a DataSource of `poolSize` connections open on it, for in-process benchmarks. */
export async function withScratchDataSource(
  label: string,
  body: (db: { url: string; dataSource: DataSource }) => Promise<void>,
  poolSize = 20,
): Promise<void> {
  const db = await createScratchDatabase(label);
  try {
    const dataSource = await new DataSource(dataSourceOptions(db.url, Math.max(poolSize, 2))).initialize();
    try {
      await body({ url: db.url, dataSource });
    } finally {
      await dataSource.destroy().catch(() => undefined);
    }
  } finally {
    await db.drop();
  }
}
