import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { parseDateOrInstant } from '@stepwise/domain/dates';
import { OVERRIDE_ACTIONS, type OverrideAction } from '@stepwise/domain/gates';
import type { RevisionPlan } from '@stepwise/domain/plan.types';
import { PlanChangeNotifier } from './plan-change-notifier';

export interface GateOverrideView {
  id: string;
  policy: string;
  phase: string;
  action: OverrideAction;
  reason: string;
  expiresAt: string;
  status: 'requested' | 'approved';
  requestedBy: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

interface OverrideRow {
  id: string;
  policy_id: string;
  phase: string;
  action: OverrideAction;
  reason: string;
  expires_at: Date;
  status: 'requested' | 'approved';
  requested_by_id: string;
  requested_by_name: string;
  approved_by_name: string | null;
  approved_at: Date | null;
}

const view = (row: OverrideRow): GateOverrideView => ({
  id: row.id,
  policy: row.policy_id,
  phase: row.phase,
  action: row.action,
  reason: row.reason,
  expiresAt: row.expires_at.toISOString(),
  status: row.status,
  requestedBy: row.requested_by_name,
  approvedBy: row.approved_by_name,
  approvedAt: row.approved_at?.toISOString() ?? null,
});

/**
 * Overrides of a gated phase (four-eyes): one planner requests a release or hold with a reason and
 * an expiry, another approves it; it acts from the approval until the expiry. Both people, the
 * gate's latest value and threshold are in the approval's audit event.
 */
@Injectable()
export class GateOverrideService {
  private readonly zone: string;

  constructor(
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly notifier: PlanChangeNotifier,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.zone = config.get('STEPWISE_TIMEZONE', { infer: true });
  }

  async request(
    context: AuditContext,
    policyId: string,
    phase: string,
    body: unknown,
  ): Promise<GateOverrideView> {
    const input = this.readRequest(body);
    const now = this.clock.now().toJSDate();
    if (input.expiresAt <= now.getTime()) {
      throw DomainError.validation([{ field: 'expiresAt', message: 'must lie in the future' }]);
    }
    return this.auditLog.change(context, async ({ manager, audit }) => {
      await this.gatedPhase(manager, policyId, phase);
      const [row] = await manager.query<OverrideRow[]>(
        `INSERT INTO gate_overrides (policy_id, phase, action, reason, expires_at, status,
           requested_by_id, requested_by_name, requested_at)
         VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7, $8) RETURNING *`,
        [
          policyId,
          phase,
          input.action,
          input.reason,
          new Date(input.expiresAt),
          context.actor.id,
          context.actor.name,
          now,
        ],
      );
      const result = view(row);
      audit({
        action: 'gate.override-requested',
        resourceType: 'gate-override',
        resourceId: row.id,
        after: result,
        reason: input.reason,
      });
      return result;
    });
  }

  async approve(context: AuditContext, id: string): Promise<GateOverrideView> {
    const now = this.clock.now().toJSDate();
    const result = await this.auditLog.change(context, async ({ manager, audit }) => {
      const [row] = await manager.query<OverrideRow[]>(
        'SELECT * FROM gate_overrides WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (row === undefined) {
        throw DomainError.notFound('gate override', id);
      }
      if (row.status !== 'requested') {
        throw new DomainError(ErrorCode.WrongState, `gate override ${id} is ${row.status}, not requested`);
      }
      // Four-eyes by token id, as revisions: names are free text and prove nothing.
      if (row.requested_by_id === context.actor.id) {
        throw new DomainError(
          ErrorCode.Forbidden,
          `four-eyes: gate override ${id} was requested with this token; another planner must approve it`,
        );
      }
      if (row.expires_at <= now) {
        throw new DomainError(ErrorCode.WrongState, `gate override ${id} expired before it was approved`);
      }
      // TypeORM answers an UPDATE … RETURNING as [rows, affected count].
      const [updatedRows] = await manager.query<[OverrideRow[], number]>(
        `UPDATE gate_overrides SET status = 'approved', approved_by_id = $2, approved_by_name = $3, approved_at = $4
         WHERE id = $1 AND status = 'requested' RETURNING *`,
        [id, context.actor.id, context.actor.name, now],
      );
      const updated = updatedRows[0];
      if (updated === undefined) {
        throw new DomainError(
          ErrorCode.WrongState,
          `gate override ${id} changed state meanwhile; re-read it`,
        );
      }
      const [latest] = await manager.query<{ outcome: string; checks: unknown[] }[]>(
        `SELECT outcome, checks FROM gate_evaluations WHERE policy_id = $1 AND phase = $2
         ORDER BY evaluated_at DESC LIMIT 1`,
        [row.policy_id, row.phase],
      );
      const approved = view(updated);
      audit({
        action: 'gate.override-approved',
        resourceType: 'gate-override',
        resourceId: id,
        before: view(row),
        after: {
          ...approved,
          requestedById: row.requested_by_id,
          approvedById: context.actor.id,
          // The value and threshold of each gate when it was overridden (null: never evaluated).
          gates: latest === undefined ? null : { outcome: latest.outcome, checks: latest.checks },
        },
        reason: row.reason,
      });
      return approved;
    });
    await this.notifier.notify({ kind: 'policy', id: result.policy });
    return result;
  }

  private readRequest(body: unknown): { action: OverrideAction; reason: string; expiresAt: number } {
    const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const errors: { field: string; message: string }[] = [];
    for (const key of Object.keys(input)) {
      if (!['action', 'reason', 'expiresAt'].includes(key)) {
        errors.push({ field: key, message: 'is not a known field' });
      }
    }
    const action = input.action as OverrideAction;
    if (!OVERRIDE_ACTIONS.includes(action)) {
      errors.push({ field: 'action', message: `must be one of ${OVERRIDE_ACTIONS.join(', ')}` });
    }
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (reason === '' || reason.length > 2000) {
      errors.push({ field: 'reason', message: 'is required (1 to 2000 characters)' });
    }
    const expires =
      typeof input.expiresAt === 'string' ? parseDateOrInstant(input.expiresAt, this.zone) : undefined;
    if (expires === undefined || !expires.ok) {
      errors.push({ field: 'expiresAt', message: 'must be a date or an instant with an offset' });
    }
    if (errors.length > 0 || expires === undefined || !expires.ok) {
      throw DomainError.validation(errors);
    }
    return { action, reason, expiresAt: expires.ms };
  }

  /** The phase must carry gates in the policy's newest published revision. */
  private async gatedPhase(manager: EntityManager, policyId: string, phase: string): Promise<void> {
    const [revision] = await manager.query<{ plan: RevisionPlan }[]>(
      `SELECT plan FROM revisions WHERE policy_id = $1 AND status = 'published' ORDER BY number DESC LIMIT 1`,
      [policyId],
    );
    if (revision === undefined) {
      throw DomainError.notFound('policy', policyId);
    }
    const found = revision.plan.phases.find((candidate) => candidate.key === phase);
    if (found === undefined) {
      throw DomainError.notFound('phase', `${policyId}/${phase}`);
    }
    if (found.gates === undefined || found.gates.length === 0) {
      throw new DomainError(ErrorCode.WrongState, `phase ${phase} has no gates to override`);
    }
  }
}
