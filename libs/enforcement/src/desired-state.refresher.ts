import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { type AuditContext, type AuditEventInput, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { systemActor } from '@stepwise/common/principal';
import {
  ChangedRulesRow,
  OverdueTransition,
  planDesiredState,
  StoredRulesState,
} from './desired-state.compute';
import { PlanLoader } from '@stepwise/plan-snapshot/plan-loader';

const WORKER: AuditContext = { actor: systemActor('worker'), requestId: null };

export interface ChangedGeneration {
  serviceId: string;
  generation: number;
}

export interface RefreshResult {
  /** The instant the rules were computed at (epoch ms). */
  computedAt: number;
  services: number;
  changed: ChangedGeneration[];
  /** Every stored next-change instant that had passed; those later than `lateAfterMs` were audited. */
  overdue: OverdueTransition[];
  upcoming: number[];
  newlyUpcoming: number[];
}

/**
 * Arbitrary but fixed: refreshes of all workers take turns on it, and so does the rebuild of the
 * transition schedule, which must see every refresh either before or after it.
 */
export const DESIRED_STATE_LOCK_KEY = 7_341_002_812;

/**
 * A transition processed this long after its instant is audited as late. Transition jobs fire
 * within milliseconds; a refresh or sweep that happens to run a hair after an instant, before
 * that instant's own job, is not a late transition.
 */
export const DEFAULT_LATE_AFTER_MS = 1000;

// One statement for every changed service: the generation grows by one exactly when the hash
// differs, and never from a computation older than the stored one (a slow worker or a skewed
// clock cannot write an earlier document over a later one).
const UPSERT_CHANGED = `INSERT INTO service_rules (service_id, generation, hash, rules, next_change_at, computed_at)
  SELECT r.service_id, 1, r.hash, r.rules, r.next_change_at, $5
  FROM unnest($1::text[], $2::text[], $3::json[], $4::timestamptz[]) AS r(service_id, hash, rules, next_change_at)
  ON CONFLICT (service_id) DO UPDATE SET generation = service_rules.generation + 1, hash = EXCLUDED.hash,
    rules = EXCLUDED.rules, next_change_at = EXCLUDED.next_change_at, computed_at = EXCLUDED.computed_at
  WHERE service_rules.hash IS DISTINCT FROM EXCLUDED.hash AND service_rules.computed_at <= EXCLUDED.computed_at
  RETURNING service_id, generation`;

/**
 * Recomputes the desired rules of every service from PostgreSQL and stores the changed ones:
 * the plan in four set-based reads, the stored hashes in one, the changes in one upsert. Runs
 * under a transaction-scoped advisory lock, so refreshes never interleave, and audits in the
 * same transaction every transition that a refresh found overdue by more than `lateAfterMs`.
 */
@Injectable()
export class DesiredStateRefresher {
  private readonly logger = new Logger(DesiredStateRefresher.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly loader: PlanLoader,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
  ) {}

  /**
   * `notBefore`: compute at no earlier instant than this (a transition job firing a hair early).
   * `dueOnly`: only the services whose next change has come (a transition; the plan is unchanged);
   * `upcoming` then lists only their next instants.
   */
  async refresh(
    options: { notBefore?: number; lateAfterMs?: number; dueOnly?: boolean } = {},
  ): Promise<RefreshResult> {
    const lateAfterMs = options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
    // The worker's late-transition events go in the same transaction as the rules they explain.
    return this.auditLog.change(WORKER, async ({ manager, audit }) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [DESIRED_STATE_LOCK_KEY]);
      // Taken after the lock: a refresh that waited computes at the time it actually runs.
      const now = Math.max(this.clock.nowMs(), options.notBefore ?? 0);
      const stored = await this.storedStates(manager);
      const inputs = await this.loader.load(manager);
      const plan = planDesiredState(inputs, stored, now, { dueOnly: options.dueOnly, lateAfterMs });
      const changed = await this.upsert(manager, plan.changed, now);
      const late = plan.overdue.filter((transition) => transition.latenessMs > lateAfterMs);
      auditLate(audit, late, changed, now);
      if (changed.length > 0) {
        this.logger.log(`desired rules changed for ${changed.length} service(s)`);
      }
      return {
        computedAt: now,
        services: inputs.services.length,
        changed,
        overdue: plan.overdue,
        upcoming: plan.upcoming,
        newlyUpcoming: plan.newlyUpcoming,
      };
    });
  }

  private async storedStates(manager: EntityManager): Promise<Map<string, StoredRulesState>> {
    const rows = await manager.query<
      { service_id: string; hash: string; next_change_at: Date | null; computed_at: Date }[]
    >('SELECT service_id, hash, next_change_at, computed_at FROM service_rules');
    return new Map(
      rows.map((row) => [
        row.service_id,
        {
          hash: row.hash,
          nextChangeAt: row.next_change_at?.getTime() ?? null,
          computedAt: row.computed_at.getTime(),
        },
      ]),
    );
  }

  private async upsert(
    manager: EntityManager,
    rows: ChangedRulesRow[],
    now: number,
  ): Promise<ChangedGeneration[]> {
    if (rows.length === 0) {
      return [];
    }
    const returned = await manager.query<{ service_id: string; generation: number }[]>(UPSERT_CHANGED, [
      rows.map((row) => row.serviceId),
      rows.map((row) => row.hash),
      rows.map((row) => row.rulesJson),
      rows.map((row) => row.nextChangeAt),
      new Date(now),
    ]);
    return returned.map((row) => ({ serviceId: row.service_id, generation: row.generation }));
  }
}

/** Each transition that came later than it should have, audited with its lateness. */
function auditLate(
  audit: (event: AuditEventInput) => void,
  late: OverdueTransition[],
  changed: ChangedGeneration[],
  now: number,
): void {
  if (late.length === 0) {
    return;
  }
  const generations = new Map(changed.map((row) => [row.serviceId, row.generation]));
  const events = late.map((transition) => ({
    action: 'rules.transition-late' as const,
    resourceType: 'service',
    resourceId: transition.serviceId,
    after: {
      dueAt: new Date(transition.nextChangeAt).toISOString(),
      processedAt: new Date(now).toISOString(),
      latenessMs: transition.latenessMs,
      generation: generations.get(transition.serviceId) ?? null,
    },
    reason:
      'the transition instant passed before any worker processed it (worker down, Redis lost its job, or the change was recorded while no worker ran)',
  }));
  events.forEach(audit);
}
