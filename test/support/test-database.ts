import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminDatabaseUrl, databaseUrl } from './database-urls';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL as the superuser on this database (bypasses nothing but the API). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh database for one suite, copied from the migrated template built in global setup. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.STEPWISE_TEST_TEMPLATE;
  if (!template) {
    throw new Error('STEPWISE_TEST_TEMPLATE is unset: run through jest (global setup)');
  }
  const name = `stepwise_t${template.replace('stepwise_tpl_', '')}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = databaseUrl(name);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    name,
    url,
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    drop: async () => {
      await client.end();
      const again = new Client({ connectionString: adminDatabaseUrl() });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}
