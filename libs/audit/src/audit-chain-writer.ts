import type { EntityManager } from 'typeorm';
import type { PrehashedAuditEvent } from './audit-prehash';

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
 * Appends events to the chain inside the caller's transaction. The head row is taken with an
 * UPDATE (so concurrent appenders queue on its row lock, O(1), never a scan of the table) and
 * released at commit; seq is therefore gap-free and the chain never forks.
 */
export async function appendToChain(
  manager: EntityManager,
  events: readonly PrehashedAuditEvent[],
): Promise<void> {
  if (events.length === 0) return;
  // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
  const [[head]] = await manager.query<[[{ seq: string; hash: string; now: Date }], number]>(
    `UPDATE audit_head SET seq = seq + $1 WHERE id = 1
     RETURNING seq::text AS seq, hash, clock_timestamp() AS now`,
    [events.length],
  );
  // Milliseconds, as a JS Date holds them: the stored instant is exactly the one hashed.
  const occurredAt = new Date(head.now).toISOString();
  const firstSeq = Number(head.seq) - events.length + 1;
  let prevHash = head.hash;
  const rows = events.map((event, index) => {
    const seq = firstSeq + index;
    const hash = event.hash(seq, occurredAt, prevHash);
    const { fields } = event;
    const row = {
      seq,
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
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  // PostgreSQL runs a data-modifying WITH to completion even though the UPDATE does not read it.
  await manager.query(INSERT_EVENTS, [occurredAt, JSON.stringify(rows), prevHash]);
}
