import type { ClientBase } from 'pg';
import type { EntityManager } from 'typeorm';
import { AUDIT_COPY_COLUMNS, copyIn } from './audit-copy';
import type { PrehashedAuditEvent, UnplacedAuditFields } from './audit-prehash';
import { CopyReadyAuditEvent } from './copy-ready-audit-event';
import type { ChainEnd } from './was-stored';

// Small enough that no chunk's text lands in V8's large-object space, and that the server starts
// on the first rows early.
const COPY_CHUNK_BYTES = 64 * 1024;

/** The head row as an append locked it: seq already advanced past the group, the hash before it. */
export interface LockedHead {
  seq: string;
  hash: string;
  now: Date;
}

/**
 * Takes the head row for `count` events. An UPDATE, so concurrent appenders queue on its row lock
 * (O(1), never a scan of the table) until the holder commits; seq is therefore gap-free and the
 * chain never forks. The events' instant is the database's clock, read under the lock.
 */
export function lockHead(count: number): string {
  // A literal, not a parameter, so that it can share a simple-protocol message with BEGIN.
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`cannot append ${count} events`);
  }
  return `UPDATE audit_head SET seq = seq + ${count} WHERE id = 1
    RETURNING seq::text AS seq, hash, clock_timestamp() AS now`;
}

/** An event with its place on the chain. */
export interface PlacedAuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * The instant every event of a group gets: the locked head's clock, in milliseconds as a JS Date
 * holds them, so that the stored instant is exactly the one hashed.
 */
export const chainInstant = (head: LockedHead): string => new Date(head.now).toISOString();

/** Each event's seq, prevHash and hash, in order, after the locked head, all at `occurredAt`. */
export function placeOnChain(
  head: LockedHead,
  occurredAt: string,
  events: readonly PrehashedAuditEvent[],
): PlacedAuditEvent[] {
  const firstSeq = Number(head.seq) - events.length + 1;
  const placed: PlacedAuditEvent[] = [];
  let prevHash = head.hash;
  for (let index = 0; index < events.length; index += 1) {
    const seq = firstSeq + index;
    const hash = events[index].hash(seq, occurredAt, prevHash);
    placed.push({ seq, prevHash, hash });
    prevHash = hash;
  }
  return placed;
}

/** The group's COPY text after `head`, hashed, and where the chain ends with it. */
export function placedGroup(
  head: LockedHead,
  events: readonly CopyReadyAuditEvent[],
): { chunks: Buffer[]; end: ChainEnd } {
  const occurredAt = chainInstant(head);
  const placed = placeOnChain(
    head,
    occurredAt,
    events.map((event) => event.prehashed),
  );
  const chunks: Buffer[] = [];
  let text = '';
  // Plain loops here and in placeOnChain: callbacks capturing `text` and `prevHash` cost more
  // Node CPU per event under many writers (measured; figure in docs/benchmarks.md).
  for (let index = 0; index < events.length; index += 1) {
    const { seq, prevHash, hash } = placed[index];
    text += `${seq}\t${occurredAt}\t${events[index].columns}\t${prevHash}\t${hash}\n`;
    if (text.length >= COPY_CHUNK_BYTES) {
      chunks.push(Buffer.from(text));
      text = '';
    }
  }
  if (text.length > 0) {
    chunks.push(Buffer.from(text));
  }
  const { seq, hash } = placed[placed.length - 1];
  return { chunks, end: { seq, hash } };
}

/** Stores a placed group: its rows, and the head's hash moved to the group's last. */
export const storeGroup = (end: ChainEnd): string =>
  `COPY audit_events ${AUDIT_COPY_COLUMNS} FROM STDIN; UPDATE audit_head SET hash = '${end.hash}' WHERE id = 1`;

/**
 * Appends events to the chain inside the caller's transaction (a change and its events, through
 * `AuditLog.change`). The head row is taken last and released at commit. The rows go in by COPY, as
 * the group commit's do: that costs the server less CPU per row than inserting them from one JSON
 * document (measured; figures in docs/benchmarks.md).
 */
export async function appendToChain(
  manager: EntityManager,
  events: readonly UnplacedAuditFields[],
): Promise<void> {
  if (events.length === 0) {
    return;
  }
  // Before the head is taken: an event that cannot be stored fails here, holding no lock.
  const ready = events.map((fields) => new CopyReadyAuditEvent(fields));
  // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
  const [[head]] = await manager.query<[[LockedHead], number]>(lockHead(events.length));
  const group = placedGroup(head, ready);
  await copyIn(transactionClient(manager), storeGroup(group.end), group.chunks);
}

/** The connection of the transaction `manager` runs in (TypeORM's query runner holds it). */
function transactionClient(manager: EntityManager): ClientBase {
  const runner = manager.queryRunner as { isTransactionActive?: boolean; databaseConnection?: ClientBase };
  if (runner?.isTransactionActive !== true || runner.databaseConnection === undefined) {
    throw new Error('appendToChain needs a manager inside a transaction');
  }
  return runner.databaseConnection;
}
