import type { PostponementEntity } from '@stepwise/persistence/postponement.entity';
import type { PostponementResponseDto } from './postponement.dto';

export function toPostponementView(row: PostponementEntity): PostponementResponseDto {
  return {
    id: row.id,
    service: row.serviceId,
    policy: row.policyId,
    phase: row.phaseKey,
    until: row.until.toISOString(),
    untilAsWritten: row.untilText,
    reason: row.reason,
    status: row.status,
    requestedBy: row.requestedByName,
    requestedAt: row.requestedAt.toISOString(),
    decidedBy: row.decidedByName,
    decisionReason: row.decisionReason,
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

/** What the audit log keeps of a request: enough to tell the whole story without the table. */
export function postponementAuditView(row: PostponementEntity): Record<string, unknown> {
  const { id: _id, ...view } = toPostponementView(row);
  return view;
}
