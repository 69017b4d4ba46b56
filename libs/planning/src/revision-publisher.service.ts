import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { toZonedText } from '@stepwise/domain/dates';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import type { RevisionEntity } from '@stepwise/persistence/revision.entity';
import { PlanChangeNotifier } from './plan-change-notifier';
import { readInstantField, wrongState } from './planning-errors';
import { PolicyRepository } from './policy.repository';
import { RevisionRepository } from './revision.repository';
import { publishableFrom, wrongStateMessage } from './revision-transitions';
import { revisionAuditView, toRevisionView, type RevisionView } from './revision-view';

export interface PublishInput {
  /** Overrides the draft's publishAt; a date is read in the policy's timezone. */
  publishAt?: string;
  reason?: string | null;
}

const staleBase = (number: number, base: number | null, latest: number | null): DomainError =>
  new DomainError(
    ErrorCode.StaleBase,
    `revision ${number} was drafted on ${base === null ? 'no published revision' : `revision ${base}`}, ` +
      `but the newest published is ${latest === null ? 'none' : `revision ${latest}`}: draft again on top of it`,
  );

/**
 * Publishes a revision now or at a future publishAt (it is then already published, and takes
 * over at that instant). A publishAt in the past is refused: only an admin import backdates.
 */
@Injectable()
export class RevisionPublisher {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly policies: PolicyRepository,
    private readonly revisions: RevisionRepository,
    private readonly notifier: PlanChangeNotifier,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  async publish(context: AuditContext, key: { policyId: string; number: number }, input: PublishInput) {
    const now = this.clock.now().toJSDate();
    const view = await this.auditLog.change(context, async ({ manager, audit }): Promise<RevisionView> => {
      const policy = await this.policies.findPolicy(manager, key.policyId);
      const revision = policy && (await this.revisions.findRevision(manager, key.policyId, key.number));
      if (!policy || !revision) {
        throw DomainError.notFound('revision', `${key.policyId}/${key.number}`);
      }
      const from = publishableFrom(policy.requireApproval);
      if (!from.includes(revision.status)) {
        throw wrongState(wrongStateMessage(key.number, revision.status, 'publish', from));
      }
      const publishAt =
        input.publishAt === undefined
          ? (revision.publishAt ?? now)
          : readInstantField(input.publishAt, 'publishAt', policy.timezone);
      const late = publishAt < now;
      if (late) {
        this.refuseUnlessLateRecording(revision.status, publishAt, policy.timezone);
      }
      const base = revision.baseRevision;
      if (policy.latestPublished !== base) {
        throw staleBase(key.number, base, policy.latestPublished);
      }
      await this.refuseEarlierThanBase(manager, key.policyId, base, publishAt, policy.timezone);
      // The arbiter of concurrent publications: exactly one moves the head off this base.
      if (!(await this.policies.movePublishedHead(manager, key.policyId, base, key.number))) {
        const latest = (await this.policies.findPolicy(manager, key.policyId))?.latestPublished ?? null;
        throw staleBase(key.number, base, latest);
      }
      const reason = input.reason ?? null;
      const published: RevisionEntity = {
        ...revision,
        status: 'published',
        publishAt,
        publishedAt: now,
        statusReason: reason,
        updatedAt: now,
        recordedLate: late,
      };
      const changes = {
        status: published.status,
        publishAt,
        publishedAt: now,
        statusReason: reason,
        updatedAt: now,
        recordedLate: late,
      };
      if (!(await this.revisions.transitionIfStatus(manager, key, [revision.status], changes))) {
        throw wrongState(`revision ${key.number} changed state meanwhile; re-read it`);
      }
      audit({
        action: 'revision.published',
        resourceType: 'revision',
        resourceId: `${key.policyId}/${key.number}`,
        before: revisionAuditView(revision),
        after: { ...revisionAuditView(published), scheduled: publishAt > now },
        reason,
      });
      return toRevisionView(published);
    });
    await this.notifier.notify({ kind: 'policy', id: key.policyId });
    return view;
  }

  /**
   * A past publishAt records a decision taken earlier: only when an admin allows late recording,
   * and only after four-eyes (approved), even where the policy lets drafts publish directly.
   */
  private refuseUnlessLateRecording(status: string, publishAt: Date, zone: string): void {
    const when = toZonedText(publishAt.getTime(), zone);
    if (this.config.get('STEPWISE_LATE_RECORDING', { infer: true }) !== 'on') {
      throw DomainError.validation([
        { field: 'publishAt', message: `${when} is in the past; only an admin plan import may backdate` },
      ]);
    }
    if (status !== 'approved') {
      throw new DomainError(
        ErrorCode.WrongState,
        `${when} is in the past: recording a decision late needs another planner's approval first`,
      );
    }
  }

  /** Takeovers stay in revision order: a revision never takes over before the one it replaces. */
  private async refuseEarlierThanBase(
    manager: EntityManager,
    policyId: string,
    base: number | null,
    publishAt: Date,
    zone: string,
  ): Promise<void> {
    if (base === null) {
      return;
    }
    const baseRevision = await this.revisions.findRevision(manager, policyId, base);
    if (baseRevision?.publishAt && publishAt < baseRevision.publishAt) {
      throw DomainError.validation([
        {
          field: 'publishAt',
          message: `must not be earlier than revision ${base}'s publishAt (${toZonedText(baseRevision.publishAt.getTime(), zone)})`,
        },
      ]);
    }
  }
}
