import type { Gate } from './adoption';
import { type CompiledGating, compileGating, gatingInstants } from './gates';
import { parseDateOnly, parseDateOrInstant, storedInstantMs, tentativeStartMs } from './dates';
import type {
  Enforcement,
  Level,
  MfaCapability,
  Phase,
  PhaseState,
  PolicyModel,
  PolicyWithRevisions,
  PublishedRevision,
  StandingRuleKind,
} from './plan.types';
import type { RequirementSource } from './requirement.types';

// A policy and its published revisions with every date parsed to epoch ms once, so that
// resolving thousands of services only compares numbers.

export type RaisingLevel = Extract<Level, 'enforced' | 'warn' | 'report-only'>;

export interface CompiledPhase {
  key: string;
  title: string;
  /** Confirmed effective instant; null for a tentative phase. */
  at: number | null;
  tentative: string | null;
  /** Start of the tentative target in the policy zone, only to order entries. */
  tentativeSortMs: number | null;
  active: boolean;
  state: PhaseState;
  stateReason: string | null;
  level: RaisingLevel;
  services: ReadonlySet<string> | null;
  capability: MfaCapability | null;
  tags: readonly string[] | null;
  except: ReadonlySet<string> | null;
  populations: ReadonlySet<string> | null;
  /** Null: no gates, the phase takes effect at its instant. */
  gates: readonly Gate[] | null;
  source: RequirementSource;
  /** The latest instant a postponement may give a service; null: the phase cannot be postponed. */
  postponeUntilMax: number | null;
  /** The phase's own instructions, else the policy's; null when neither has any. */
  instructionsUrl: string | null;
}

export interface CompiledRule {
  on: StandingRuleKind;
  /** Baseline: the rule fires only for spells or introductions strictly after it. */
  since: number;
  level: RaisingLevel;
  source: RequirementSource;
  /** The policy's instructions. */
  instructionsUrl: string | null;
}

export interface CompiledRevision {
  number: number;
  publishAt: number;
  recordedAt: number;
  mandatorySince: number | null;
  phases: readonly CompiledPhase[];
  rules: readonly CompiledRule[];
}

export interface CompiledPolicy {
  readonly kind: 'compiled-policy';
  policy: PolicyModel;
  /** Ordered by publishAt, then number. */
  revisions: readonly CompiledRevision[];
  /** Every instant of the plan at which a level may change (publishAt, phase at, statement, gating), sorted. */
  instants: readonly number[];
  /** Gate evaluations and overrides by phase key. */
  gating: ReadonlyMap<string, CompiledGating>;
}

export type PolicyInput = PolicyWithRevisions | CompiledPolicy;

function mustParse(result: ReturnType<typeof parseDateOrInstant>, what: string): number {
  if (!result.ok) {
    throw new Error(`published plan has an invalid ${what}: ${result.message}`);
  }
  return result.ms;
}

function levelOf(enforcement: Enforcement | undefined): RaisingLevel {
  switch (enforcement) {
    case 'report-only':
      return 'report-only';
    case 'warn':
      return 'warn';
    case 'enforce':
    case undefined:
      return 'enforced';
  }
}

function compilePhase(phase: Phase, policy: PolicyModel): CompiledPhase {
  const zone = policy.timezone;
  const { at, tentative } = phase.effective;
  const { services, selector, except, populations } = phase.scope;
  return {
    key: phase.key,
    title: phase.title,
    at: at === undefined ? null : mustParse(parseDateOrInstant(at, zone), `effective.at of ${phase.key}`),
    tentative: tentative ?? null,
    tentativeSortMs: tentative === undefined ? null : tentativeStartMs(tentative, zone),
    active: phase.state === 'active',
    state: phase.state,
    stateReason: phase.stateReason ?? null,
    level: levelOf(phase.enforcement),
    // `all` (and only it) leaves services, capability and tags unset: every service is covered.
    services: services === undefined ? null : new Set(services),
    capability: selector?.mfaCapability ?? null,
    tags: selector?.tags ?? null,
    except: except === undefined || except.length === 0 ? null : new Set(except),
    populations: populations === undefined ? null : new Set(populations),
    gates: phase.gates === undefined || phase.gates.length === 0 ? null : phase.gates,
    source: Object.freeze({ kind: 'phase', phase: phase.key }),
    postponeUntilMax:
      phase.postponeUntilMax === undefined
        ? null
        : mustParse(parseDateOrInstant(phase.postponeUntilMax, zone), `postponeUntilMax of ${phase.key}`),
    instructionsUrl: phase.instructionsUrl ?? policy.instructionsUrl ?? null,
  };
}

function compileRevision(revision: PublishedRevision, policy: PolicyModel): CompiledRevision {
  const zone = policy.timezone;
  const publishAt = storedInstantMs(revision.publishAt);
  const { plan } = revision;
  return {
    number: revision.number,
    publishAt,
    recordedAt: storedInstantMs(revision.recordedAt),
    mandatorySince:
      plan.mandatory === undefined
        ? null
        : mustParse(parseDateOnly(plan.mandatory.since, zone), 'mandatory.since'),
    phases: plan.phases.map((phase) => compilePhase(phase, policy)),
    rules: plan.standingRules.map((rule) => ({
      on: rule.on,
      since:
        rule.since === undefined
          ? publishAt
          : mustParse(parseDateOrInstant(rule.since, zone), `since of ${rule.on}`),
      level: levelOf(rule.enforcement),
      source: Object.freeze({ kind: 'rule', rule: rule.on }),
      instructionsUrl: policy.instructionsUrl ?? null,
    })),
  };
}

function planInstants(revisions: readonly CompiledRevision[], extra: readonly number[]): number[] {
  const instants = new Set<number>(extra);
  for (const revision of revisions) {
    instants.add(revision.publishAt);
    if (revision.mandatorySince !== null) {
      instants.add(revision.mandatorySince);
    }
    for (const phase of revision.phases) {
      if (phase.at !== null) {
        instants.add(phase.at);
      }
    }
  }
  return [...instants].sort((a, b) => a - b);
}

export function compilePolicy(input: PolicyInput): CompiledPolicy {
  if ('kind' in input) {
    return input;
  }
  const revisions = input.revisions
    .map((revision) => compileRevision(revision, input.policy))
    .sort((a, b) => a.publishAt - b.publishAt || a.number - b.number);
  const gating = compileGating(input.gating);
  return {
    kind: 'compiled-policy',
    policy: input.policy,
    revisions,
    instants: planInstants(revisions, gatingInstants(gating)),
    gating,
  };
}

/** Compiles (or passes through) each policy, ordered by policy id for stable output. */
export function compilePolicies(inputs: readonly PolicyInput[]): CompiledPolicy[] {
  return inputs
    .map(compilePolicy)
    .sort((a, b) => (a.policy.id < b.policy.id ? -1 : a.policy.id > b.policy.id ? 1 : 0));
}

/**
 * The revision that governs instant `t` as known at `asOf`: the newest (by publishAt, then
 * number) with `publishAt <= asOf`, as DESIGN.md says. We generalise for t later than asOf:
 * a revision with publishAt in (asOf, t] that was already recorded at asOf is a scheduled
 * publication and governs t. For t <= asOf this is exactly DESIGN's rule; with at = asOf = t
 * it is the live timeline (a revision takes over at its publishAt).
 */
export function governingRevision(policy: CompiledPolicy, t: number, asOf: number): CompiledRevision | null {
  const { revisions } = policy;
  for (let index = revisions.length - 1; index >= 0; index -= 1) {
    const revision = revisions[index];
    if (revision.publishAt <= asOf) {
      return revision;
    }
    if (revision.publishAt <= t && revision.recordedAt <= asOf) {
      return revision;
    }
  }
  return null;
}
