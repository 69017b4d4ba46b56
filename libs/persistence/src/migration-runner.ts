import { DataSource, type Migration } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** Arbitrary but fixed: every Stepwise instance takes this lock before migrating. */
const MIGRATION_LOCK_KEY = 7_341_002_811;

/**
 * Runs pending migrations under a session-level PostgreSQL advisory lock, so several API
 * instances starting at once migrate one after another (the later ones find nothing to do).
 * The lock holds one pooled connection, so the pool needs at least two.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/** Connects to `databaseUrl`, runs pending migrations under the lock, and disconnects. */
export async function migrateDatabase(databaseUrl: string): Promise<Migration[]> {
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl, 2)).initialize();
  try {
    return await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
