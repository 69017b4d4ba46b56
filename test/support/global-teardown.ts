import { Client } from 'pg';
import { adminDatabaseUrl } from './database-urls';

/** Drops the template and any suite database a crashed suite left behind. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env.STEPWISE_TEST_TEMPLATE;
  if (!template) {
    return;
  }
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    const suffix = template.replace('stepwise_tpl_', '');
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      // `_` is LIKE's one-character wildcard: unescaped, run 2810's teardown dropped run 28106's databases.
      [template, `stepwise\\_t${suffix}\\_%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
