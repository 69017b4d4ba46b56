import { Injectable } from '@nestjs/common';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import type { RevisionEntity } from '@stepwise/persistence/revision.entity';
import { wrongState } from './planning-errors';
import { RevisionRepository } from './revision.repository';
import { REVIEW_TRANSITIONS, type ReviewTransition, wrongStateMessage } from './revision-transitions';
import { revisionAuditView, toRevisionView, type RevisionView } from './revision-view';

/** Review of a draft: submit, approve (four-eyes), reject, withdraw. Publishing is RevisionPublisher's. */
@Injectable()
export class RevisionLifecycleService {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly revisions: RevisionRepository,
  ) {}

  async transition(
    context: AuditContext,
    key: { policyId: string; number: number },
    transition: ReviewTransition,
    reason: string | null,
  ): Promise<RevisionView> {
    if (transition === 'reject' && (reason === null || reason.trim() === '')) {
      throw DomainError.validation([{ field: 'reason', message: 'is required to reject a revision' }]);
    }
    const rule = REVIEW_TRANSITIONS[transition];
    const now = this.clock.now().toJSDate();
    return this.auditLog.change(context, async ({ manager, audit }) => {
      const revision = await this.revisions.findRevision(manager, key.policyId, key.number);
      if (!revision) {
        throw DomainError.notFound('revision', `${key.policyId}/${key.number}`);
      }
      if (!rule.from.includes(revision.status)) {
        throw wrongState(wrongStateMessage(key.number, revision.status, transition, rule.from));
      }
      // Four-eyes compares token ids, not names: two tokens of one person are still two ids,
      // but names are free text and prove nothing.
      if (transition === 'approve' && revision.authorId === context.actor.id) {
        // Audited under the revision, so filtering the history by it shows the refusal.
        throw new DomainError(
          ErrorCode.Forbidden,
          `four-eyes: revision ${key.number} was drafted with this token; another planner must approve it`,
          [],
          { type: 'revision', id: `${key.policyId}/${key.number}` },
        );
      }
      const updated: RevisionEntity = { ...revision, status: rule.to, statusReason: reason, updatedAt: now };
      if (transition === 'approve') {
        updated.approvedById = context.actor.id;
        updated.approvedByName = context.actor.name;
      }
      const { status, statusReason, updatedAt, approvedById, approvedByName } = updated;
      const changes = { status, statusReason, updatedAt, approvedById, approvedByName };
      if (!(await this.revisions.transitionIfStatus(manager, key, [revision.status], changes))) {
        throw wrongState(`revision ${key.number} changed state meanwhile; re-read it`);
      }
      audit({
        action: rule.action,
        resourceType: 'revision',
        resourceId: `${key.policyId}/${key.number}`,
        before: revisionAuditView(revision),
        after: revisionAuditView(updated),
        reason,
      });
      return toRevisionView(updated);
    });
  }
}
