import type { EntityManager } from 'typeorm';
import { PrehashedAuditEvent, UnplacedAuditFields } from './audit-prehash';

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
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`cannot append ${count} events`);
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

// One statement for the whole group, whatever its size, that also moves the head's hash: the rows
// travel as one JSON document (serialised natively, parsed once by PostgreSQL), so the head row
// stays locked for two round trips and the commit. A JSON null becomes SQL NULL here.
const INSERT_EVENTS = `WITH inserted AS (
    INSERT INTO audit_events (seq, occurred_at, actor_id, actor_name, actor_role, action,
      resource_type, resource_id, before, after, reason, request_id, outcome, prev_hash, hash)
    SELECT e.seq, $1::timestamptz, e.actor_id, e.actor_name, e.actor_role, e.action, e.resource_type,
      e.resource_id, e.before, e.after, e.reason, e.request_id, e.outcome, e.prev_hash, e.hash
    FROM json_to_recordset($2::json) AS e(seq bigint, actor_id text, actor_name text, actor_role text,
      action text, resource_type text, resource_id text, before jsonb, after jsonb, reason text,
      request_id text, outcome text, prev_hash text, hash text))
  UPDATE audit_head SET hash = $3 WHERE id = 1`;

/**
 * Appends events to the chain inside the caller's transaction (a change and its events, through
 * `AuditLog.run`). The head row is taken last and released at commit.
 */
export async function appendToChain(
  manager: EntityManager,
  events: readonly UnplacedAuditFields[],
): Promise<void> {
  if (events.length === 0) return;
  const prehashed = events.map((fields) => new PrehashedAuditEvent(fields));
  // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
  const [[head]] = await manager.query<[[LockedHead], number]>(lockHead(events.length));
  const occurredAt = chainInstant(head);
  const placed = placeOnChain(head, occurredAt, prehashed);
  const headHash = placed[placed.length - 1].hash;
  const rows = events.map((fields, index) => ({
    seq: placed[index].seq,
    actor_id: fields.actor.id,
    actor_name: fields.actor.name,
    actor_role: fields.actor.role,
    action: fields.action,
    resource_type: fields.resourceType,
    resource_id: fields.resourceId,
    before: fields.before,
    after: fields.after,
    reason: fields.reason,
    request_id: fields.requestId,
    outcome: fields.outcome,
    prev_hash: placed[index].prevHash,
    hash: placed[index].hash,
  }));
  // PostgreSQL runs a data-modifying WITH to completion even though the UPDATE does not read it.
  await manager.query(INSERT_EVENTS, [occurredAt, JSON.stringify(rows), headHash]);
}
