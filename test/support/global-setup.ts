import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { adminDatabaseUrl, databaseUrl } from './database-urls';

/**
 * Builds one template database with every migration applied (through the real CLI, the same
 * path `npm start` takes); each suite then copies it (`CREATE DATABASE … TEMPLATE`), which
 * takes milliseconds. The name carries the pid so concurrent runs never share a template.
 */
export default async function globalSetup(): Promise<void> {
  const template = `stepwise_tpl_${process.pid}`;
  process.env.STEPWISE_TEST_TEMPLATE = template;
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'migrate'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(template), LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
}
