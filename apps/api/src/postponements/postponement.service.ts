import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { checkPostponement, type PostponementCheck } from '@stepwise/domain/postponement-check';
import { PlanSnapshot } from '@stepwise/plan-snapshot/plan-snapshot';
import type { PostponementEntity } from '@stepwise/persistence/postponement.entity';
import { PlanChangeNotifier } from '@stepwise/planning/plan-change-notifier';
import { isUniqueViolation, readInstantField, wrongState } from '@stepwise/planning/planning-errors';
import { assertCanSee } from '../requirements/requirements.service';
import type { CreatePostponementDto, PostponementResponseDto } from './postponement.dto';
import { PostponementRepository } from './postponement.repository';
import { postponementAuditView, toPostponementView } from './postponement-view';

export type PostponementDecisionKind = 'approve' | 'reject' | 'withdraw';

const OUTCOMES = {
  approve: { status: 'approved', action: 'postponement.approved' },
  reject: { status: 'rejected', action: 'postponement.rejected' },
  withdraw: { status: 'withdrawn', action: 'postponement.withdrawn' },
} as const;

const openRequest = (what: string, id?: string): DomainError =>
  new DomainError(
    ErrorCode.Conflict,
    `a request to postpone ${what} is already open${id === undefined ? '' : ` (${id})`}; wait for its decision`,
  );

/**
 * An owner asks for more time for one phase for their service; a planner who did not ask
 * approves or rejects it. Each step is audited in its own transaction with the change, and an
 * approval is announced like any directory change, so snapshots, the worker's transitions and
 * rules documents follow the new date.
 */
@Injectable()
export class PostponementService {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly snapshot: PlanSnapshot,
    private readonly notifier: PlanChangeNotifier,
    private readonly postponements: PostponementRepository,
    private readonly dataSource: DataSource,
  ) {}

  async ask(
    context: AuditContext,
    serviceId: string,
    input: CreatePostponementDto,
  ): Promise<PostponementResponseDto> {
    assertCanSee(context.actor, serviceId);
    const now = this.clock.now().toJSDate();
    const { until, check } = await this.check(serviceId, input.policy, input.phase, input.until, now);
    if (!check.ok) {
      throw check.kind === 'invalid'
        ? DomainError.validation([{ field: check.field, message: check.message }])
        : wrongState(`${check.field}: ${check.message}`);
    }
    const what = `phase '${input.phase}' of ${input.policy} for service '${serviceId}'`;
    const row = await this.auditLog
      .change(context, async ({ manager, audit }) => {
        const key = { policyId: input.policy, phaseKey: input.phase, serviceId };
        const open = await this.postponements.findOpen(manager, key);
        if (open !== null) {
          throw openRequest(what, open.id);
        }
        const inserted = await this.postponements.insert(manager, {
          ...key,
          until,
          untilText: input.until,
          reason: input.reason,
          status: 'requested',
          requestedById: context.actor.id,
          requestedByName: context.actor.name,
          requestedAt: now,
          decidedById: null,
          decidedByName: null,
          decisionReason: null,
          decidedAt: null,
        });
        audit({
          action: 'postponement.requested',
          resourceType: 'postponement',
          resourceId: inserted.id,
          after: postponementAuditView(inserted),
          reason: input.reason,
        });
        return inserted;
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? openRequest(what) : error;
      });
    return toPostponementView(row);
  }

  async decide(
    context: AuditContext,
    id: string,
    kind: PostponementDecisionKind,
    reason: string,
  ): Promise<PostponementResponseDto> {
    const now = this.clock.now().toJSDate();
    const found = await this.postponements.findById(this.dataSource.manager, id);
    if (found === null) {
      throw DomainError.notFound('postponement', id);
    }
    // Checked again at approval: the plan may have moved, or the phase taken effect, since the ask.
    if (kind === 'approve') {
      const { check } = await this.check(found.serviceId, found.policyId, found.phaseKey, found.until, now);
      if (!check.ok) {
        throw wrongState(`postponement ${id} can no longer be approved: ${check.field}: ${check.message}`);
      }
    }
    const decided = await this.auditLog.change(context, async ({ manager, audit }) => {
      const row = await this.postponements.findForDecision(manager, id);
      if (row === null) {
        throw DomainError.notFound('postponement', id);
      }
      if (row.status !== 'requested') {
        throw wrongState(`postponement ${id} is ${row.status}; only a requested one can be decided`);
      }
      // Four-eyes compares principal ids, as revisions do: names are free text and prove nothing.
      const asker = row.requestedById === context.actor.id;
      if (kind !== 'withdraw' && asker) {
        throw new DomainError(
          ErrorCode.Forbidden,
          `four-eyes: postponement ${id} was requested by this caller; another planner must decide it`,
        );
      }
      if (kind === 'withdraw' && !asker) {
        throw new DomainError(ErrorCode.Forbidden, `only who asked may withdraw postponement ${id}`);
      }
      const updated: PostponementEntity = {
        ...row,
        status: OUTCOMES[kind].status,
        decidedById: context.actor.id,
        decidedByName: context.actor.name,
        decisionReason: reason,
        decidedAt: now,
      };
      const { status, decidedById, decidedByName, decisionReason, decidedAt } = updated;
      if (
        !(await this.postponements.decideIfOpen(manager, id, {
          status,
          decidedById,
          decidedByName,
          decisionReason,
          decidedAt,
        }))
      ) {
        throw wrongState(`postponement ${id} was decided meanwhile; re-read it`);
      }
      audit({
        action: OUTCOMES[kind].action,
        resourceType: 'postponement',
        resourceId: id,
        before: postponementAuditView(row),
        after: postponementAuditView(updated),
        reason,
      });
      return updated;
    });
    if (decided.status === 'approved') {
      // Seam for notices: an approval moves the service's transition, as a revision would; the
      // notice planner re-plans from the live timeline when it hears of this change.
      await this.notifier.notify({ kind: 'service', id: decided.serviceId });
    }
    return toPostponementView(decided);
  }

  private async check(
    serviceId: string,
    policyId: string,
    phase: string,
    untilInput: string | Date,
    now: Date,
  ): Promise<{ until: Date; check: PostponementCheck }> {
    const plan = await this.snapshot.current();
    const service = plan.services.get(serviceId);
    if (service === undefined) {
      throw DomainError.notFound('service', serviceId);
    }
    const policy = plan.policies.find((candidate) => candidate.policy.id === policyId);
    if (policy === undefined) {
      throw DomainError.validation([{ field: 'policy', message: `no policy '${policyId}'` }]);
    }
    const until =
      typeof untilInput === 'string'
        ? readInstantField(untilInput, 'until', policy.policy.timezone)
        : untilInput;
    const check = checkPostponement({ policy, service, phase, until: until.getTime(), now: now.getTime() });
    return { until, check };
  }
}
