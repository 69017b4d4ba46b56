import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { RevisionEntity } from '@stepwise/persistence/revision.entity';
import { PolicyRepository } from './policy.repository';
import { readRevisionDraft } from './revision-draft-input';
import { RevisionRepository } from './revision.repository';
import { revisionAuditView, toRevisionView, type RevisionView } from './revision-view';
import { ServiceRepository } from './service.repository';

/** Drafts a new revision: the whole plan, validated in full against the policy and the directory. */
@Injectable()
export class RevisionDraftService {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly policies: PolicyRepository,
    private readonly revisions: RevisionRepository,
    private readonly services: ServiceRepository,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  /**
   * The draft records its base: the newest published revision (a scheduled one included) at
   * drafting time. Publishing it later on another base is refused (STALE_BASE), so nobody
   * silently undoes a revision they never saw.
   */
  async draft(context: AuditContext, policyId: string, body: unknown): Promise<RevisionView> {
    const now = this.clock.now().toJSDate();
    return this.auditLog.change(context, async ({ manager, audit }) => {
      const policy = await this.policies.findPolicyForUpdate(manager, policyId);
      if (!policy) {
        throw DomainError.notFound('policy', policyId);
      }
      const serviceIds = await this.services.findServiceIds(manager);
      const read = readRevisionDraft(body, {
        timezone: policy.timezone,
        populations: policy.populations,
        serviceIds,
      });
      if (!read.ok) {
        throw DomainError.validation(read.errors);
      }
      const { draft } = read;
      // A decision taken earlier may be recorded late when an admin allows it (it is flagged
      // recordedLate at publication, after four-eyes); otherwise only an import backdates.
      const lateAllowed = this.config.get('STEPWISE_LATE_RECORDING', { infer: true }) === 'on';
      if (draft.publishAt !== null && draft.publishAt < now && !lateAllowed) {
        throw DomainError.validation([
          {
            field: 'publishAt',
            message:
              'is in the past; only an admin plan import may backdate a revision (or late recording, STEPWISE_LATE_RECORDING=on)',
          },
        ]);
      }
      const revision = manager.create(RevisionEntity, {
        policyId,
        number: await this.revisions.nextRevisionNumber(manager, policyId),
        status: 'draft',
        summary: draft.summary,
        reason: draft.reason,
        sourceUrl: draft.sourceUrl,
        publishAt: draft.publishAt,
        plan: draft.plan as unknown as Record<string, unknown>,
        baseRevision: policy.latestPublished,
        authorId: context.actor.id,
        authorName: context.actor.name,
        approvedById: null,
        approvedByName: null,
        statusReason: null,
        imported: false,
        recordedLate: false,
        recordedAt: now,
        publishedAt: null,
        updatedAt: now,
      });
      await this.revisions.insertRevision(manager, revision);
      audit({
        action: 'revision.drafted',
        resourceType: 'revision',
        resourceId: `${policyId}/${revision.number}`,
        after: { ...revisionAuditView(revision), summary: draft.summary, plan: draft.plan },
        reason: draft.reason,
      });
      return toRevisionView(revision);
    });
  }
}
