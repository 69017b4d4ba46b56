import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { systemActor } from '@stepwise/common/principal';
import { type CompiledPolicy, compilePolicies, governingRevision } from '@stepwise/domain/compiled-plan';
import { compileService } from '@stepwise/domain/compiled-service';
import {
  type NoticeSettings,
  type PlannedNotice,
  noticeKey,
  planNotices,
  transitionKey,
} from '@stepwise/domain/notice-plan';
import { type NoticeChange, type OutboxNotice, reconcileNotices } from '@stepwise/domain/notice-supersession';
import type { Level } from '@stepwise/domain/plan.types';
import { PlanLoader } from '@stepwise/plan-snapshot/plan-loader';

const WORKER: AuditContext = { actor: systemActor('worker'), requestId: null };

export interface NoticePlanResult {
  /** Notices the outbox did not hold yet. */
  planned: number;
  superseded: number;
  changes: number;
  /** The earliest due instant of a pending notice (ms), to wake the dispatcher then. */
  nextDueAt: number | null;
  /** Where the time went (ms): reading plan and outbox, computing, writing. */
  timings: { readMs: number; computeMs: number; writeMs: number };
}

interface SettingsRow {
  id: string;
  notice_lead_days: number[];
  notice_send_at: string;
}

interface OutboxRow {
  id: string;
  key: string;
  policy_id: string;
  service_id: string;
  transition_at: Date | null;
  tentative: string | null;
  level: Level;
  cause: string;
  lead_days: number | null;
  populations: string[];
}

const INSERT_SQL = `INSERT INTO notices
  (key, policy_id, service_id, kind, transition_at, tentative, level, from_level, cause, populations,
   revision, lead_days, change, due_at, created_at)
  SELECT k, p, s, kind, t, tent, lvl, fl, c, string_to_array(pops, ','), rev, lead, ch::jsonb, due, $15
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::int[], $12::int[], $13::text[], $14::timestamptz[])
    AS u(k, p, s, kind, t, tent, lvl, fl, c, pops, rev, lead, ch, due)
  ON CONFLICT (key) DO UPDATE SET superseded_at = NULL, superseded_by = NULL, due_at = EXCLUDED.due_at
    WHERE notices.superseded_at IS NOT NULL AND notices.status = 'pending'`;

/** A row for INSERT_SQL: planned notices and changes alike. */
interface NoticeRow {
  key: string;
  policy: string;
  service: string;
  kind: string;
  transitionAt: number | null;
  tentative: string | null;
  level: string;
  fromLevel: string | null;
  cause: string;
  populations: string[];
  revision: number;
  leadDays: number | null;
  change: Record<string, unknown> | null;
  dueAt: number;
}

const iso = (value: number | null): string | null => (value === null ? null : new Date(value).toISOString());

/**
 * Plans the notices the live timeline calls for into the outbox, set-based (one INSERT … unnest
 * for all of them), and supersedes those a revision moved or dropped with one "updated" or
 * "cancelled" notice per transition. Safe to run any number of times: the key decides.
 */
@Injectable()
export class NoticePlanner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly planLoader: PlanLoader,
  ) {}

  async plan(): Promise<NoticePlanResult> {
    const now = this.clock.nowMs();
    const manager = this.dataSource.manager;
    const started = performance.now();
    const inputs = await this.planLoader.load(manager);
    const settings = await this.settings(manager);
    const loaded = performance.now();
    const policies = compilePolicies(inputs.policies);
    const desired: PlannedNotice[] = [];
    for (const facts of inputs.services) {
      const service = compileService(facts);
      for (const policy of policies) {
        desired.push(...planNotices(policy, service, settings(policy.policy.id), now));
      }
    }
    const computed = performance.now();
    const outbox = await this.liveOutbox(manager, now);
    const read = performance.now();
    const { supersede, changes } = reconcileNotices(outbox, desired);
    const held = new Set(outbox.map((row) => row.key));
    const fresh = desired.filter((notice) => !notice.passed && !held.has(noticeKey(notice)));
    const byId = new Map(outbox.map((row) => [row.id, row]));
    const reconciled = performance.now();
    const planned = await this.auditLog.change(WORKER, async ({ manager: tx, audit }) => {
      const inserted = await this.insert(
        tx,
        fresh.map((notice) => this.plannedRow(notice)),
        now,
      );
      const added = Number(inserted.get('count') ?? 0);
      const changeRows = changes.map((change) => this.changeRow(change, policies, byId, now));
      const changeIds = await this.insert(tx, changeRows, now, true);
      const explained = new Set<string>();
      const supersededIds: string[] = [];
      const byChange: (string | null)[] = [];
      for (const [index, change] of changes.entries()) {
        const changeId = changeIds.get(changeRows[index].key) ?? null;
        for (const id of change.supersedes) {
          explained.add(id);
          supersededIds.push(id);
          byChange.push(changeId);
        }
        audit({
          action: 'notice.superseded',
          resourceType: 'service',
          resourceId: change.service,
          after: {
            ...changeRows[index].change,
            policy: change.policy,
            notice: changeId,
            superseded: change.supersedes,
          },
        });
      }
      if (supersededIds.length > 0) {
        // One statement for every superseded row, each pointing at the notice that replaced it.
        await tx.query(
          `UPDATE notices n SET superseded_at = $3, superseded_by = u.by
           FROM unnest($1::bigint[], $2::bigint[]) AS u(id, by) WHERE n.id = u.id`,
          [supersededIds, byChange, new Date(now)],
        );
      }
      const quiet = supersede.filter((id) => !explained.has(id));
      if (quiet.length > 0) {
        await tx.query(`UPDATE notices SET superseded_at = $2 WHERE id = ANY($1::bigint[])`, [
          quiet,
          new Date(now),
        ]);
        audit({
          action: 'notice.superseded',
          resourceType: 'notice',
          resourceId: quiet[0],
          after: { kind: 'lead-time-dropped', superseded: quiet },
        });
      }
      return added;
    });
    const written = performance.now();
    const [next] = await manager.query<{ due: Date | null }[]>(
      `SELECT min(due_at) AS due FROM notices WHERE status = 'pending' AND superseded_at IS NULL`,
    );
    return {
      planned,
      superseded: supersede.length,
      changes: changes.length,
      nextDueAt: next.due === null ? null : next.due.getTime(),
      timings: {
        readMs: loaded - started + (read - computed),
        computeMs: computed - loaded + (reconciled - read),
        writeMs: written - reconciled,
      },
    };
  }

  private async settings(manager: EntityManager): Promise<(policy: string) => NoticeSettings> {
    const rows = await manager.query<SettingsRow[]>(
      'SELECT id, notice_lead_days, notice_send_at FROM policies',
    );
    const byPolicy = new Map(
      rows.map((row) => [row.id, { leadDays: row.notice_lead_days, sendAt: row.notice_send_at }]),
    );
    return (policy) => byPolicy.get(policy) ?? { leadDays: [30, 7, 1], sendAt: '09:00' };
  }

  private async liveOutbox(manager: EntityManager, now: number): Promise<(OutboxNotice & OutboxRow)[]> {
    const rows = await manager.query<OutboxRow[]>(
      `SELECT id, key, policy_id, service_id, transition_at, tentative, level, cause, lead_days, populations
       FROM notices WHERE superseded_at IS NULL AND kind IN ('upcoming', 'tentative')
       AND (transition_at IS NULL OR transition_at > $1)`,
      [new Date(now)],
    );
    return rows.map((row) => ({
      ...row,
      policy: row.policy_id,
      service: row.service_id,
      transitionAt: row.transition_at === null ? null : row.transition_at.getTime(),
      leadDays: row.lead_days,
    }));
  }

  private plannedRow(notice: PlannedNotice): NoticeRow {
    return { ...notice, key: noticeKey(notice), change: null };
  }

  private changeRow(
    change: NoticeChange,
    policies: readonly CompiledPolicy[],
    outbox: Map<string, OutboxRow>,
    now: number,
  ): NoticeRow {
    const policy = policies.find((candidate) => candidate.policy.id === change.policy);
    const latest = policy === undefined ? null : governingRevision(policy, Number.POSITIVE_INFINITY, now);
    const phaseKey = change.cause.startsWith('phase:') ? change.cause.slice('phase:'.length) : null;
    const phase = latest?.phases.find((candidate) => candidate.key === phaseKey);
    const first = outbox.get(change.supersedes[0]);
    return {
      key: `${transitionKey({ ...change, transitionAt: change.previousAt, tentative: change.previousTentative })}|${change.kind}`,
      policy: change.policy,
      service: change.service,
      kind: change.kind,
      transitionAt: change.newAt ?? change.previousAt,
      tentative: change.newAt === null ? (change.newTentative ?? change.previousTentative) : null,
      level: change.newLevel ?? change.level,
      fromLevel: null,
      cause: change.cause,
      populations: first?.populations ?? [],
      revision: latest?.number ?? 0,
      leadDays: null,
      change: {
        kind: change.kind,
        cause: change.cause,
        previous: { at: iso(change.previousAt), tentative: change.previousTentative, level: change.level },
        next:
          change.kind === 'cancelled'
            ? null
            : { at: iso(change.newAt), tentative: change.newTentative, level: change.newLevel },
        phaseState: phase?.state ?? null,
        reason: phase?.stateReason ?? null,
      },
      dueAt: now,
    };
  }

  /**
   * One INSERT … unnest for all rows; the ids by key of those it added or revived when `withIds`
   * (the few change notices), else only how many (thousands of planned ones: no rows sent back).
   */
  private async insert(
    manager: EntityManager,
    rows: NoticeRow[],
    now: number,
    withIds = false,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    if (rows.length === 0) {
      return ids;
    }
    const sql = withIds
      ? `${INSERT_SQL} RETURNING id, key`
      : `WITH added AS (${INSERT_SQL} RETURNING id) SELECT count(*)::text AS id, 'count' AS key FROM added`;
    const column = <T>(pick: (row: NoticeRow) => T): T[] => rows.map(pick);
    const inserted = await manager.query<{ id: string; key: string }[]>(sql, [
      column((row) => row.key),
      column((row) => row.policy),
      column((row) => row.service),
      column((row) => row.kind),
      column((row) => iso(row.transitionAt)),
      column((row) => row.tentative),
      column((row) => row.level),
      column((row) => row.fromLevel),
      column((row) => row.cause),
      column((row) => row.populations.join(',')),
      column((row) => row.revision),
      column((row) => row.leadDays),
      column((row) => (row.change === null ? null : JSON.stringify(row.change))),
      column((row) => new Date(row.dueAt).toISOString()),
      new Date(now),
    ]);
    for (const row of inserted) {
      ids.set(row.key, row.id);
    }
    return ids;
  }
}
