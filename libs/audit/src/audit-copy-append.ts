import type { Pool, PoolClient, QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { chainInstant, LockedHead, lockHead, PlacedAuditEvent, placeOnChain } from './audit-chain-writer';
import { AUDIT_COPY_COLUMNS, copyField, copyIn } from './audit-copy';
import { PrehashedAuditEvent, storedJsonOf, UnplacedAuditFields } from './audit-prehash';

// A lone surrogate would be stored as U+FFFD (UTF-8 cannot carry it) while its hash covers the
// original, and a NUL is refused by PostgreSQL text: either is refused before the event joins a
// group, so that it fails its own caller and not a whole group's COPY.
// eslint-disable-next-line no-control-regex -- matching NUL is the point.
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Almost every value has none of these, and is its own COPY text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const NEEDS_CARE = /[\\\n\r\t\u0000\ud800-\udfff]/;

function textColumn(column: string, value: string | null): string {
  if (value === null) return '\\N';
  if (!NEEDS_CARE.test(value)) return value;
  if (UNSTORABLE_TEXT.test(value)) {
    throw new TypeError(`audit event ${column} holds a NUL or a lone surrogate, which cannot be stored`);
  }
  return copyField(value);
}

/** Canonical JSON has no raw control characters: only its backslashes need escaping. JSON null is SQL NULL, as the INSERT path stores it. */
const jsonColumn = (json: string): string =>
  json === 'null' ? '\\N' : json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;

/**
 * An event ready for a COPY group: its prehash, and the COPY text of the eleven columns its place
 * on the chain does not decide (actor_id … outcome), built before the head row is locked. Only
 * flat strings are kept while the event waits for its group.
 */
export class CopyReadyAuditEvent {
  readonly prehashed: PrehashedAuditEvent;
  readonly columns: string;

  constructor(fields: UnplacedAuditFields) {
    const json = storedJsonOf(fields);
    this.prehashed = new PrehashedAuditEvent(fields, json);
    this.columns = [
      textColumn('actor.id', fields.actor.id),
      textColumn('actor.name', fields.actor.name),
      textColumn('actor.role', fields.actor.role),
      textColumn('action', fields.action),
      textColumn('resourceType', fields.resourceType),
      textColumn('resourceId', fields.resourceId),
      jsonColumn(json.before),
      jsonColumn(json.after),
      textColumn('reason', fields.reason),
      textColumn('requestId', fields.requestId),
      textColumn('outcome', fields.outcome),
    ].join('\t');
  }
}

// Small enough that no chunk's text lands in V8's large-object space, and that the server starts
// on the first rows early.
const COPY_CHUNK_BYTES = 64 * 1024;

/**
 * Appends a group of events in one transaction of two round trips on a connection of its own:
 * `BEGIN` and the head row's lock (which gives the seqs, the previous hash and the database's
 * clock), then the rows as one `COPY`, the head's new hash (the last row's) and `COMMIT` in a
 * single message, whose rows are hashed as they are sent. Resolves only after the COMMIT
 * succeeded; on any failure nothing of the group is stored.
 */
export async function appendByCopy(
  dataSource: DataSource,
  events: readonly CopyReadyAuditEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const client = await pool.connect();
  // The pool stops listening while a client is out, and an 'error' event nobody listens to ends
  // the process; the client's queries fail with it anyway.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  let failure: Error | undefined;
  try {
    await writeGroup(client, events);
  } catch (error) {
    // The connection is closed rather than rolled back: closing aborts the transaction and frees
    // the head row just the same, and a ROLLBACK on a connection that was lost would never be
    // answered. Failed groups are rare (most bad events are refused before they join one).
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.removeListener('error', ignore);
    client.release(failure);
  }
}

async function writeGroup(client: PoolClient, events: readonly CopyReadyAuditEvent[]): Promise<void> {
  // Two statements in one simple-protocol message answer with one result each.
  const [, locked] = (await client.query(`BEGIN; ${lockHead(events.length)}`)) as unknown as [
    QueryResult,
    QueryResult<LockedHead>,
  ];
  const head = locked.rows[0];
  if (!/^[0-9]+$/.test(head.seq)) throw new Error(`audit head seq is not a number: ${head.seq}`);
  await copyIn(
    client,
    `COPY audit_events ${AUDIT_COPY_COLUMNS} FROM STDIN;
     UPDATE audit_head SET hash = (SELECT hash FROM audit_events WHERE seq = ${head.seq}) WHERE id = 1;
     COMMIT`,
    copyChunksOf(head, events),
  );
}

/** The group's COPY text, hashed chunk by chunk as it is asked for. */
function* copyChunksOf(head: LockedHead, events: readonly CopyReadyAuditEvent[]): Generator<Buffer> {
  const occurredAt = chainInstant(head);
  const placed = placeOnChain(
    head,
    events.map((event) => event.prehashed),
  );
  let text = '';
  for (const event of events) {
    const { seq, prevHash, hash } = placed.next().value as PlacedAuditEvent;
    text += `${seq}\t${occurredAt}\t${event.columns}\t${prevHash}\t${hash}\n`;
    if (text.length >= COPY_CHUNK_BYTES) {
      yield Buffer.from(text);
      text = '';
    }
  }
  if (text.length > 0) yield Buffer.from(text);
}
