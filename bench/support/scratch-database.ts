import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one benchmark run, migrated (and seeded if asked) through the real CLI. */
export async function createScratchDatabase(
  name: string,
  options: { seed?: boolean } = {},
): Promise<ScratchDatabase> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const env = { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' };
  execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'migrate'], { env, stdio: 'inherit' });
  if (options.seed)
    execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'seed'], { env, stdio: 'inherit' });
  return {
    url: url.toString(),
    drop: async () => {
      const again = new Client({ connectionString: ADMIN_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}
