import type { AuditAction } from '@stepwise/audit/audit-actions';
import type { RevisionStatus } from '@stepwise/persistence/revision.entity';

// The lifecycle of DESIGN.md: draft → submitted → approved → published, or rejected / withdrawn.
// Published, rejected and withdrawn are final: a published revision never changes, and a refused
// or abandoned one is replaced by a new draft, so history reads in one direction.

export type ReviewTransition = 'submit' | 'approve' | 'reject' | 'withdraw';

export interface TransitionRule {
  from: readonly RevisionStatus[];
  to: RevisionStatus;
  action: AuditAction;
}

export const REVIEW_TRANSITIONS: Readonly<Record<ReviewTransition, TransitionRule>> = {
  submit: { from: ['draft'], to: 'submitted', action: 'revision.submitted' },
  approve: { from: ['submitted'], to: 'approved', action: 'revision.approved' },
  reject: { from: ['submitted', 'approved'], to: 'rejected', action: 'revision.rejected' },
  withdraw: { from: ['draft', 'submitted', 'approved'], to: 'withdrawn', action: 'revision.withdrawn' },
};

/** A policy that skips approval (`requireApproval: false`) publishes straight from a draft. */
export function publishableFrom(requireApproval: boolean): readonly RevisionStatus[] {
  return requireApproval ? ['approved'] : ['draft', 'submitted', 'approved'];
}

export function wrongStateMessage(
  number: number,
  status: RevisionStatus,
  verb: string,
  from: readonly RevisionStatus[],
) {
  return `revision ${number} is ${status}; ${verb} needs it ${from.join(' or ')}`;
}
