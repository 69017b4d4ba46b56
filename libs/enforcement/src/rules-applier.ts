import { Injectable } from '@nestjs/common';
import { AuditContext, AuditedTransaction, AuditLog } from '@stepwise/audit/audit-log';
import { PreparedStatement, runPrepared } from '@stepwise/persistence/prepared-statement';

/** How a generation reached the service: a 2xx to its webhook, or its connector's ack. */
export type ApplyChannel = 'webhook' | 'ack';

export interface AppliedGeneration {
  serviceId: string;
  generation: number;
  via: ApplyChannel;
  /** The receiver's HTTP status, for a webhook. */
  statusCode?: number;
}

// The fence: applied_generation only ever grows. A late or duplicate worker (or ack) whose
// generation is not newer than the applied one changes nothing and is told so by the row count;
// the one exception is a redelivery that was asked for (the applied generation sent again, to a
// receiver that lost it or to a new webhook), recorded once, when it arrives. A request is
// answered only by a send claimed after it: one asked while a send was in flight (to the old URL,
// perhaps) stays, and the next claim sends again.
const FENCED_APPLY: PreparedStatement = {
  name: 'rules-applier-fenced-apply',
  text: `UPDATE service_rules r SET applied_generation = i.generation, applied_at = now(),
    last_error = NULL, delivery_attempts = 0,
    redelivery_requested_at = CASE WHEN r.redelivery_requested_at IS NOT DISTINCT FROM r.sent_redelivery_requested_at
      THEN NULL ELSE r.redelivery_requested_at END,
    send_open = CASE WHEN r.sent_generation <= i.generation THEN false ELSE r.send_open END,
    send_lease_until = CASE WHEN r.sent_generation <= i.generation THEN NULL ELSE r.send_lease_until END
  FROM unnest($1::text[], $2::int[]) AS i(service_id, generation)
  WHERE r.service_id = i.service_id AND i.generation <= r.generation
    AND (r.applied_generation < i.generation
      OR (r.redelivery_requested_at IS NOT NULL AND r.applied_generation = i.generation))
  RETURNING r.service_id`,
};

/**
 * Marks generations applied, exactly once each: the fenced write and its `rules.applied` audit
 * event commit in one transaction, or neither does.
 */
@Injectable()
export class RulesApplier {
  constructor(private readonly auditLog: AuditLog) {}

  /** Returns the service ids whose applied generation moved; at most one entry per service. */
  async applyMany(context: AuditContext, entries: readonly AppliedGeneration[]): Promise<Set<string>> {
    return this.auditLog.change(context, (tx) => this.applyInTransaction(tx, entries));
  }

  async applyInTransaction(
    { manager, audit }: AuditedTransaction,
    given: readonly AppliedGeneration[],
  ): Promise<Set<string>> {
    if (given.length === 0) {
      return new Set();
    }
    const entries = newestPerService(given);
    const { rows } = await runPrepared<{ service_id: string }>(manager, FENCED_APPLY, [
      entries.map((entry) => entry.serviceId),
      entries.map((entry) => entry.generation),
    ]);
    const applied = new Set(rows.map((row) => row.service_id));
    for (const entry of entries) {
      if (!applied.has(entry.serviceId)) {
        continue;
      }
      audit({
        action: 'rules.applied',
        resourceType: 'service',
        resourceId: entry.serviceId,
        after: { generation: entry.generation, via: entry.via, statusCode: entry.statusCode ?? null },
      });
    }
    return applied;
  }
}

/** One entry per service (the newest generation): an UPDATE … FROM applies one source row per target. */
function newestPerService(entries: readonly AppliedGeneration[]): AppliedGeneration[] {
  const newest = new Map<string, AppliedGeneration>();
  for (const entry of entries) {
    const kept = newest.get(entry.serviceId);
    if (kept === undefined || kept.generation < entry.generation) {
      newest.set(entry.serviceId, entry);
    }
  }
  return [...newest.values()];
}
