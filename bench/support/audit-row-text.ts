/**
 * Every column of `audit_events` as text, in the order of AUDIT_COPY_COLUMNS: a stored row read
 * back this way is its own COPY row, for peers that copy exactly what Stepwise stored.
 */
export const AUDIT_ROW_TEXT_COLUMNS = `seq::text, occurred_at::text, actor_id, actor_name, actor_role, action,
  resource_type, resource_id, before::text, after::text, reason, request_id, outcome, prev_hash, hash`;
