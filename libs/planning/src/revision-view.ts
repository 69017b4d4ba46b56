import type { RevisionPlan } from '@stepwise/domain/plan.types';
import type { RevisionEntity, RevisionStatus } from '@stepwise/persistence/revision.entity';

export interface RevisionView extends RevisionPlan {
  policy: string;
  number: number;
  status: RevisionStatus;
  summary: string;
  reason: string;
  sourceUrl: string | null;
  /** When it takes (or took) over; null on a draft that leaves it to publication (then now). */
  publishAt: string | null;
  /** The newest published revision when this one was drafted. */
  baseRevision: number | null;
  author: { id: string; name: string };
  /**
   * A person Stepwise knows (their token id), or a name a plan file gave (`id` null,
   * `recordedFromFile` true): recorded, not a four-eyes approval made here.
   */
  approvedBy: Approver | null;
  /** The reason given with the last transition. */
  statusReason: string | null;
  /** Backdated through an admin import. */
  imported: boolean;
  /** A decision taken earlier, recorded late (past publishAt) through four-eyes. */
  recordedLate: boolean;
  recordedAt: string;
  publishedAt: string | null;
  updatedAt: string;
}

export interface Approver {
  id: string | null;
  name: string;
  recordedFromFile: boolean;
}

const approverOf = (revision: RevisionEntity): Approver | null =>
  revision.approvedByName === null
    ? null
    : {
        id: revision.approvedById,
        name: revision.approvedByName,
        recordedFromFile: revision.approvedById === null,
      };

const isoOrNull = (date: Date | null): string | null => (date === null ? null : date.toISOString());

export function toRevisionView(revision: RevisionEntity): RevisionView {
  const plan = revision.plan as unknown as RevisionPlan;
  return {
    policy: revision.policyId,
    number: revision.number,
    status: revision.status,
    summary: revision.summary,
    reason: revision.reason,
    sourceUrl: revision.sourceUrl,
    publishAt: isoOrNull(revision.publishAt),
    ...(plan.mandatory === undefined ? {} : { mandatory: plan.mandatory }),
    phases: plan.phases,
    standingRules: plan.standingRules,
    baseRevision: revision.baseRevision,
    author: { id: revision.authorId, name: revision.authorName },
    approvedBy: approverOf(revision),
    statusReason: revision.statusReason,
    imported: revision.imported,
    recordedLate: revision.recordedLate,
    recordedAt: revision.recordedAt.toISOString(),
    publishedAt: isoOrNull(revision.publishedAt),
    updatedAt: revision.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a revision's lifecycle (the plan itself only when drafted). */
export function revisionAuditView(revision: RevisionEntity): Record<string, unknown> {
  return {
    policy: revision.policyId,
    number: revision.number,
    status: revision.status,
    publishAt: isoOrNull(revision.publishAt),
    baseRevision: revision.baseRevision,
    approvedBy:
      revision.approvedByName === null ? null : { id: revision.approvedById, name: revision.approvedByName },
    imported: revision.imported,
    recordedLate: revision.recordedLate,
  };
}
