import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { systemActor } from '@stepwise/common/principal';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { type AdoptionSnapshot, type GateSettings, evaluateGates } from '@stepwise/domain/adoption';
import { compilePolicies } from '@stepwise/domain/compiled-plan';
import { dueGateEvaluations } from '@stepwise/domain/gate-schedule';
import { PlanLoader } from '@stepwise/plan-snapshot/plan-loader';

interface SnapshotRow {
  id: string;
  population: string;
  as_of: Date;
  recorded_at: Date;
  eligible: number;
  registered: number;
  covered: number;
  exempt: number;
}

/** Serialises evaluators of several workers; the unique (policy, phase, instant) index decides anyway. */
const GATE_LOCK_KEY = 0x5e_6a_7e;

/**
 * Evaluates the gates of held phases when due (at the phase's instant, then daily at
 * STEPWISE_GATE_EVALUATION_TIME in the policy's zone), from the snapshots known at the instant
 * evaluated. Each result is stored append-only with its values, thresholds and snapshot ids, and
 * audited in the same transaction. Returns how many were stored (the caller then refreshes).
 */
@Injectable()
export class GateEvaluator {
  private readonly logger = new Logger(GateEvaluator.name);
  private readonly dailyTime: string;
  private readonly settings: GateSettings;

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly loader: PlanLoader,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.dailyTime = config.get('STEPWISE_GATE_EVALUATION_TIME', { infer: true });
    this.settings = {
      defaultMaxDataAgeMs: config.get('STEPWISE_GATE_MAX_DATA_AGE_HOURS', { infer: true }) * 3_600_000,
      eligibleJumpShare: config.get('STEPWISE_GATE_ELIGIBLE_JUMP_PERCENT', { infer: true }) / 100,
    };
  }

  async evaluateDue(): Promise<number> {
    const now = this.clock.nowMs();
    // Most refreshes run on plans without gates: one cheap query spares them a second plan load.
    const [gated] = await this.dataSource.query<{ any: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM revisions WHERE status = 'published'
         AND jsonb_path_exists(plan::jsonb, '$.phases[*].gates')) AS any`,
    );
    if (gated?.any !== true) {
      return 0;
    }
    const inputs = await this.loader.load();
    const due = dueGateEvaluations(compilePolicies(inputs.policies), this.dailyTime, now);
    if (due.length === 0) {
      return 0;
    }
    const snapshots = await this.snapshotsKnownBy(now);
    let stored = 0;
    for (const item of due) {
      const result = evaluateGates(item.gates, snapshots, item.at, this.settings);
      const inserted = await this.auditLog.change(
        { actor: systemActor('worker'), requestId: null },
        async (tx) => {
          await tx.manager.query('SELECT pg_advisory_xact_lock($1)', [GATE_LOCK_KEY]);
          const rows = await tx.manager.query<{ id: string }[]>(
            `INSERT INTO gate_evaluations (policy_id, revision, phase, evaluated_at, outcome, checks, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
            [
              item.policy,
              item.revision,
              item.phase,
              new Date(item.at),
              result.outcome,
              JSON.stringify(result.checks),
              this.clock.now().toJSDate(),
            ],
          );
          if (rows.length === 0) {
            return false;
          }
          tx.audit({
            action: 'gate.evaluated',
            resourceType: 'phase',
            resourceId: `${item.policy}/${item.phase}`,
            after: {
              id: rows[0].id,
              revision: item.revision,
              evaluatedAt: new Date(item.at).toISOString(),
              outcome: result.outcome,
              checks: result.checks,
            },
          });
          return true;
        },
      );
      if (inserted) {
        stored += 1;
        this.logger.log(`gates of ${item.policy}/${item.phase}: ${result.outcome}`);
      }
    }
    return stored;
  }

  private async snapshotsKnownBy(now: number): Promise<AdoptionSnapshot[]> {
    const rows = await this.dataSource.query<SnapshotRow[]>(
      `SELECT id, population, as_of, recorded_at, eligible, registered, covered, exempt
       FROM adoption_snapshots WHERE recorded_at <= $1`,
      [new Date(now)],
    );
    return rows.map((row) => ({
      id: row.id,
      population: row.population,
      asOf: row.as_of.getTime(),
      recordedAt: row.recorded_at.getTime(),
      eligible: row.eligible,
      registered: row.registered,
      covered: row.covered,
      exempt: row.exempt,
    }));
  }
}
