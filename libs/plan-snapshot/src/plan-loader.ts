import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { GateCheck } from '@stepwise/domain/adoption';
import type { GateEvaluationFact } from '@stepwise/domain/gates';
import type { PolicyWithRevisions, RevisionPlan, ServiceFacts } from '@stepwise/domain/plan.types';
import {
  type ApprovedPostponementRow,
  APPROVED_POSTPONEMENTS_SQL,
  addPostponements,
} from './postponement-facts';

/** Everything resolution reads: published revisions per policy, and the directory's facts. */
export interface PlanInputs {
  policies: PolicyWithRevisions[];
  services: ServiceFacts[];
  /** Changes whenever anything above changes; compared to detect a missed notice. */
  version: string;
}

interface PolicyRow {
  id: string;
  title: string;
  timezone: string;
  populations: string[];
  require_approval: boolean;
  instructions_url: string | null;
}
interface RevisionRow {
  policy_id: string;
  number: number;
  publish_at: Date;
  published_at: Date | null;
  recorded_at: Date;
  plan: RevisionPlan;
}
interface GateEvaluationRow {
  policy_id: string;
  phase: string;
  evaluated_at: Date;
  recorded_at: Date;
  outcome: GateEvaluationFact['outcome'];
  checks: GateCheck[];
}
interface GateOverrideRow {
  policy_id: string;
  phase: string;
  action: 'release' | 'hold';
  approved_at: Date;
  expires_at: Date;
}
interface ServiceRow {
  id: string;
  tags: string[];
  recorded_at: Date;
}
interface IntroductionRow {
  service_id: string;
  introduced_at: Date | null;
  recorded_at: Date;
}
interface FactRow {
  service_id: string;
  mfa_capability: 'ready' | 'not-ready';
  effective_at: Date;
  recorded_at: Date;
}

const VERSION_SQL = `SELECT concat_ws('/',
  (SELECT count(*) FROM policies), (SELECT max(created_at) FROM policies),
  (SELECT count(*) FROM revisions WHERE status = 'published'),
  (SELECT max(published_at) FROM revisions WHERE status = 'published'),
  (SELECT count(*) FROM services), (SELECT max(updated_at) FROM services),
  (SELECT max(id) FROM capability_changes), (SELECT max(id) FROM introduction_changes),
  (SELECT count(*) FROM postponements WHERE status = 'approved'),
  (SELECT max(id) FROM gate_evaluations),
  (SELECT count(*) FROM gate_overrides WHERE status = 'approved')) AS version`;

/**
 * Reads the plan and the directory in eight set-based queries (no per-service round trips), as
 * the domain engine takes them. Used by the API's snapshot and by the worker's desired-state
 * computation, so both see one definition of "the plan".
 */
@Injectable()
export class PlanLoader {
  constructor(private readonly dataSource: DataSource) {}

  async version(manager: EntityManager = this.dataSource.manager): Promise<string> {
    const [row] = await manager.query<{ version: string }[]>(VERSION_SQL);
    return row.version;
  }

  async load(manager: EntityManager = this.dataSource.manager): Promise<PlanInputs> {
    const version = await this.version(manager);
    // One after another: the manager may be a transaction's single client, which takes one query at a time.
    const policies = await manager.query<PolicyRow[]>(
      'SELECT id, title, timezone, populations, require_approval, instructions_url FROM policies ORDER BY id',
    );
    const revisions = await manager.query<RevisionRow[]>(
      `SELECT policy_id, number, publish_at, published_at, recorded_at, plan FROM revisions
       WHERE status = 'published' ORDER BY policy_id, number`,
    );
    const services = await manager.query<ServiceRow[]>(
      'SELECT id, tags, recorded_at FROM services ORDER BY id',
    );
    const introductions = await manager.query<IntroductionRow[]>(
      `SELECT service_id, introduced_at, recorded_at FROM introduction_changes
       ORDER BY service_id, recorded_at, id`,
    );
    const facts = await manager.query<FactRow[]>(
      `SELECT service_id, mfa_capability, effective_at, recorded_at FROM capability_changes
       ORDER BY service_id, effective_at, id`,
    );
    const postponements = await manager.query<ApprovedPostponementRow[]>(APPROVED_POSTPONEMENTS_SQL);
    const evaluations = await manager.query<GateEvaluationRow[]>(
      `SELECT policy_id, phase, evaluated_at, recorded_at, outcome, checks FROM gate_evaluations
       ORDER BY policy_id, phase, evaluated_at`,
    );
    const overrides = await manager.query<GateOverrideRow[]>(
      `SELECT policy_id, phase, action, approved_at, expires_at FROM gate_overrides
       WHERE status = 'approved' ORDER BY policy_id, phase, approved_at`,
    );
    const directory = toServices(services, introductions, facts);
    addPostponements(directory, postponements);
    return {
      policies: withGating(toPolicies(policies, revisions), evaluations, overrides),
      services: directory,
      version,
    };
  }
}

function toPolicies(policies: PolicyRow[], revisions: RevisionRow[]): PolicyWithRevisions[] {
  const byPolicy = new Map<string, PolicyWithRevisions>();
  for (const row of policies) {
    byPolicy.set(row.id, {
      policy: {
        id: row.id,
        title: row.title,
        timezone: row.timezone,
        populations: row.populations,
        requireApproval: row.require_approval,
        ...(row.instructions_url === null ? {} : { instructionsUrl: row.instructions_url }),
      },
      revisions: [],
    });
  }
  for (const row of revisions) {
    byPolicy.get(row.policy_id)?.revisions.push({
      number: row.number,
      publishAt: row.publish_at.toISOString(),
      // Known from when it was published (a scheduled publication is known before it takes over).
      recordedAt: (row.published_at ?? row.recorded_at).toISOString(),
      plan: row.plan,
    });
  }
  return [...byPolicy.values()];
}

/** Each policy's gate evaluations (overrides join them once approved ones exist). */
function withGating(
  policies: PolicyWithRevisions[],
  rows: GateEvaluationRow[],
  overrides: GateOverrideRow[],
): PolicyWithRevisions[] {
  const byPolicy = new Map(policies.map((policy) => [policy.policy.id, policy]));
  for (const row of rows) {
    const policy = byPolicy.get(row.policy_id);
    if (policy === undefined) {
      continue;
    }
    policy.gating ??= { evaluations: [], overrides: [] };
    policy.gating.evaluations.push({
      phase: row.phase,
      evaluatedAt: row.evaluated_at.toISOString(),
      recordedAt: row.recorded_at.toISOString(),
      outcome: row.outcome,
      checks: row.checks,
    });
  }
  for (const row of overrides) {
    const policy = byPolicy.get(row.policy_id);
    if (policy === undefined) {
      continue;
    }
    policy.gating ??= { evaluations: [], overrides: [] };
    // It acts from its approval (when it became known) until it expires.
    policy.gating.overrides.push({
      phase: row.phase,
      action: row.action,
      from: row.approved_at.toISOString(),
      until: row.expires_at.toISOString(),
      recordedAt: row.approved_at.toISOString(),
    });
  }
  return policies;
}

function toServices(
  services: ServiceRow[],
  introductions: IntroductionRow[],
  facts: FactRow[],
): ServiceFacts[] {
  const byService = new Map<string, ServiceFacts>();
  for (const row of services) {
    byService.set(row.id, {
      id: row.id,
      tags: row.tags,
      recordedAt: row.recorded_at.toISOString(),
      introductions: [],
      capabilityChanges: [],
    });
  }
  for (const row of introductions) {
    byService.get(row.service_id)?.introductions.push({
      introducedAt: row.introduced_at?.toISOString() ?? null,
      recordedAt: row.recorded_at.toISOString(),
    });
  }
  for (const row of facts) {
    byService.get(row.service_id)?.capabilityChanges.push({
      mfaCapability: row.mfa_capability,
      effectiveAt: row.effective_at.toISOString(),
      recordedAt: row.recorded_at.toISOString(),
    });
  }
  return [...byService.values()];
}
