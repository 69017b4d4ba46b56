import type { AuditEventRecord } from './audit-event-record';

/**
 * The select list every reader uses. `occurred_at` is printed by the database to the microsecond:
 * events are written at millisecond precision, so a sub-millisecond edit (which a JS Date would
 * round away) still changes the text and fails verification. `seq` is printed as text too (a
 * bigint), so statements must order by `audit_events.seq`, not the text alias.
 */
export const AUDIT_COLUMNS = `seq::text AS seq,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS occurred_at,
  actor_id, actor_name, actor_role, action, resource_type, resource_id, before, after, reason,
  request_id, outcome, prev_hash, hash`;

export interface AuditRow {
  seq: string;
  occurred_at: string;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  request_id: string | null;
  outcome: string;
  prev_hash: string;
  hash: string;
}

/** `…SS.123000` → `…SS.123Z` (the form hashed at append); anything finer is kept, and so fails. */
const isoInstant = (printed: string): string =>
  printed.endsWith('000') ? `${printed.slice(0, -3)}Z` : `${printed}Z`;

export const toAuditRecord = (row: AuditRow): AuditEventRecord => ({
  seq: Number(row.seq),
  occurredAt: isoInstant(row.occurred_at),
  actor: { id: row.actor_id, name: row.actor_name, role: row.actor_role },
  action: row.action,
  resourceType: row.resource_type,
  resourceId: row.resource_id,
  before: row.before,
  after: row.after,
  reason: row.reason,
  requestId: row.request_id,
  outcome: row.outcome,
  prevHash: row.prev_hash,
  hash: row.hash,
});
