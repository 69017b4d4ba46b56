import { Client } from 'pg';
import { urlWithoutCredentials } from '@stepwise/common/url-without-credentials';

/**
 * Connects once before anything else does, so that a process that cannot use its database stops
 * with one line naming it (without its credentials) and why, instead of a bare socket error.
 */
export async function assertDatabaseReachable(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`could not connect to PostgreSQL at ${urlWithoutCredentials(databaseUrl)}: ${reason}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
