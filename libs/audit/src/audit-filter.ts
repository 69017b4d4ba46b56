/** What an auditor can narrow the history to; every field is optional and they combine with AND. */
export interface AuditFilter {
  action?: string;
  resourceType?: string;
  resourceId?: string;
  actorId?: string;
  /** Inclusive lower bound on occurredAt. */
  from?: Date;
  /** Exclusive upper bound on occurredAt. */
  to?: Date;
}

/**
 * The filter as SQL conditions, each value a bind parameter appended to `params`. Equality on
 * the indexed columns (`action`, `resource_type, resource_id`, `actor_id`, each indexed with seq)
 * keeps a keyset page an index range scan whatever its depth.
 */
export function filterConditions(filter: AuditFilter, params: unknown[]): string[] {
  const conditions: string[] = [];
  const bind = (sql: string, value: unknown): void => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.action !== undefined) {
    bind('action = ?', filter.action);
  }
  if (filter.resourceType !== undefined) {
    bind('resource_type = ?', filter.resourceType);
  }
  if (filter.resourceId !== undefined) {
    bind('resource_id = ?', filter.resourceId);
  }
  if (filter.actorId !== undefined) {
    bind('actor_id = ?', filter.actorId);
  }
  if (filter.from !== undefined) {
    bind('occurred_at >= ?', filter.from);
  }
  if (filter.to !== undefined) {
    bind('occurred_at < ?', filter.to);
  }
  return conditions;
}
