import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { AUDIT_COPY_COLUMNS, copyChunks, copyIn } from '@stepwise/audit/audit-copy';
import { AUDIT_ROW_TEXT_COLUMNS } from './support/audit-row-text';

// B3's floor: what this machine allows for the peer's POST loop plus the durable writes every
// delivery makes, with none of Stepwise's client work (no jobs, no signing, no hashing, no waiting
// between statements). The writes are the ones the worker made for the measured generation, by
// PostgreSQL alone on copies of its tables: the claims (one row version each, in groups of
// CLAIM_GROUP, about the worker's own group size), and the fenced applies with their audit rows
// (the very rows the worker stored) in transactions of APPLY_GROUP, each moving the chain's head
// row. Every statement is sent at once on one pipelined connection, so the server never waits on
// a client. Run beside the peer's loop, on the same two cores, the pair's wall time bounds what
// any implementation of that work can reach against the peer alone.
const CLAIM_GROUP = 25;
const APPLY_GROUP = 50;

/**
 * The durable writes of `count` deliveries, alone and then beside `loop` (the peer's), each on
 * fresh copies of the tables: the writes' own time, and the wall time until both were done.
 */
export async function floorBeside(
  url: string,
  count: number,
  claims: boolean,
  loop: () => Promise<unknown>,
): Promise<{ ms: number; aloneMs: number }> {
  const alone = await durableWrites(url, count, claims);
  const aloneMs = await alone.run().finally(() => alone.drop());
  const writes = await durableWrites(url, count, claims);
  try {
    const start = performance.now();
    await Promise.all([loop(), writes.run()]);
    return { ms: performance.now() - start, aloneMs };
  } finally {
    await writes.drop();
  }
}

interface DurableWrites {
  /** Sends every statement at once; resolves with the milliseconds until the last one committed. */
  run(): Promise<number>;
  drop(): Promise<void>;
}

/**
 * The durable writes of the last `count` deliveries, on fresh copies of `service_rules`,
 * `audit_events` and `audit_head` (dropped by `drop`); without the claims when `claims` is false
 * (the fenced apply and its audit row are what the design requires of every delivery).
 */
async function durableWrites(url: string, count: number, claims: boolean): Promise<DurableWrites> {
  const client = new Client({ connectionString: url, pipeline: true });
  await client.connect();
  await client.query(`CREATE TABLE floor_rules (LIKE service_rules INCLUDING ALL) WITH (fillfactor = 50);
    INSERT INTO floor_rules SELECT * FROM service_rules;
    CREATE TABLE floor_audit (LIKE audit_events INCLUDING ALL);
    CREATE TABLE floor_head (LIKE audit_head INCLUDING ALL);
    INSERT INTO floor_head SELECT * FROM audit_head;
    ANALYZE floor_rules`);
  const { rows } = await client.query<Record<string, string | null>>(
    `SELECT ${AUDIT_ROW_TEXT_COLUMNS} FROM audit_events WHERE action = 'rules.applied' ORDER BY seq DESC LIMIT $1`,
    [count],
  );
  const events = rows.reverse().map((row) => Object.values(row));
  const statements: { sql: string; chunks?: Buffer[] }[] = [];
  for (let first = 0; first < events.length; first += APPLY_GROUP) {
    const group = events.slice(first, first + APPLY_GROUP);
    // resource_id is the service's id; seq is a row's first column, hash its last.
    const ids = group.map((event) => event[7] as string);
    if (claims) {
      for (let at = 0; at < ids.length; at += CLAIM_GROUP) {
        statements.push({
          sql: `UPDATE floor_rules SET delivery_attempts = delivery_attempts + 1, last_attempt_at = now(),
            sent_generation = generation, send_open = true, send_lease_until = now() + interval '15 seconds'
            WHERE service_id IN (${literals(ids.slice(at, at + CLAIM_GROUP))})`,
        });
      }
    }
    const last = group[group.length - 1];
    statements.push({
      sql: `BEGIN; UPDATE floor_rules SET applied_generation = generation, applied_at = now(), last_error = NULL,
          delivery_attempts = 0, redelivery_requested_at = NULL, send_open = false, send_lease_until = NULL
          WHERE service_id IN (${literals(ids)});
        UPDATE floor_head SET seq = ${last[0]}, hash = ${literals([last[last.length - 1] as string])};
        COPY floor_audit ${AUDIT_COPY_COLUMNS} FROM STDIN; COMMIT`,
      chunks: copyChunks(group),
    });
  }
  return {
    async run() {
      const start = performance.now();
      await Promise.all(
        statements.map(({ sql, chunks }) =>
          chunks === undefined ? client.query(sql) : copyIn(client, sql, chunks),
        ),
      );
      return performance.now() - start;
    },
    async drop() {
      await client.query('DROP TABLE floor_rules; DROP TABLE floor_audit; DROP TABLE floor_head');
      await client.end();
    },
  };
}

/** SQL string literals (the ids and hashes are the database's own, quoted all the same). */
function literals(values: readonly string[]): string {
  return values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ');
}
