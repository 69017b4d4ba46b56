import type { GateCheck, GateOutcome } from './adoption';
import { storedInstantMs, toIso } from './dates';

// How gate evaluations and overrides decide whether a gated phase is in force: a confirmed phase
// with gates is held until an evaluation at or after its instant passes (inconclusive never
// releases), or a second planner's release override covers the instant; a hold override keeps it
// held for its window. Only facts recorded by `asOf` count, so history stays bitemporal.

/** One stored evaluation of a phase's gates (append-only). */
export interface GateEvaluationFact {
  phase: string;
  /** ISO instant: the instant evaluated. */
  evaluatedAt: string;
  /** ISO instant: when it was stored. */
  recordedAt: string;
  outcome: GateOutcome;
  checks: GateCheck[];
}

export type OverrideAction = 'release' | 'hold';
export const OVERRIDE_ACTIONS: readonly OverrideAction[] = ['release', 'hold'];

/** An approved override: it acts on [from, until) once recorded (approved). */
export interface GateOverrideFact {
  phase: string;
  action: OverrideAction;
  from: string;
  until: string;
  recordedAt: string;
}

export interface GatingFacts {
  evaluations: GateEvaluationFact[];
  overrides: GateOverrideFact[];
}

interface CompiledEvaluation {
  at: number;
  recordedAt: number;
  outcome: GateOutcome;
  checks: readonly GateCheck[];
}
interface CompiledOverride {
  action: OverrideAction;
  from: number;
  until: number;
  recordedAt: number;
}
export interface CompiledGating {
  /** By instant evaluated. */
  evaluations: readonly CompiledEvaluation[];
  overrides: readonly CompiledOverride[];
}

/** Why a gated phase is not in force: the latest evaluation known, or the hold override. */
export interface HeldPhase {
  phase: string;
  /** ISO: the phase's confirmed instant. */
  phaseAt: string;
  by: 'gate' | 'override';
  /** The latest evaluation at or after the phase's instant, known then; null before any. */
  evaluatedAt: string | null;
  outcome: GateOutcome | null;
  checks: GateCheck[];
}

export type GateStatus =
  | { inForce: true; since: number }
  | { inForce: false; by: 'gate' | 'override'; last: CompiledEvaluation | null };

export function compileGating(facts: GatingFacts | undefined): ReadonlyMap<string, CompiledGating> {
  const byPhase = new Map<string, { evaluations: CompiledEvaluation[]; overrides: CompiledOverride[] }>();
  const entry = (phase: string) => {
    let found = byPhase.get(phase);
    if (found === undefined) {
      found = { evaluations: [], overrides: [] };
      byPhase.set(phase, found);
    }
    return found;
  };
  for (const fact of facts?.evaluations ?? []) {
    entry(fact.phase).evaluations.push({
      at: storedInstantMs(fact.evaluatedAt),
      recordedAt: storedInstantMs(fact.recordedAt),
      outcome: fact.outcome,
      checks: fact.checks,
    });
  }
  for (const fact of facts?.overrides ?? []) {
    entry(fact.phase).overrides.push({
      action: fact.action,
      from: storedInstantMs(fact.from),
      until: storedInstantMs(fact.until),
      recordedAt: storedInstantMs(fact.recordedAt),
    });
  }
  for (const gating of byPhase.values()) {
    gating.evaluations.sort((a, b) => a.at - b.at || a.recordedAt - b.recordedAt);
  }
  return byPhase;
}

/** Every instant at which gating may change an answer: evaluations and override windows, as known and as dated. */
export function gatingInstants(gating: ReadonlyMap<string, CompiledGating>): number[] {
  const instants: number[] = [];
  for (const { evaluations, overrides } of gating.values()) {
    for (const evaluation of evaluations) {
      instants.push(evaluation.at, evaluation.recordedAt);
    }
    for (const override of overrides) {
      instants.push(override.from, override.until, override.recordedAt);
    }
  }
  return instants;
}

/** Whether a gated phase whose instant is `phaseAt` (<= at) is in force at `at`, as known at `asOf`. */
export function gateStatus(
  gating: CompiledGating | undefined,
  phaseAt: number,
  at: number,
  asOf: number,
): GateStatus {
  const overrides = (gating?.overrides ?? []).filter(
    (o) => o.recordedAt <= asOf && o.from <= at && at < o.until,
  );
  const evaluations = (gating?.evaluations ?? []).filter(
    (e) => e.at >= phaseAt && e.at <= at && e.recordedAt <= asOf,
  );
  const last = evaluations[evaluations.length - 1] ?? null;
  if (overrides.some((o) => o.action === 'hold')) {
    return { inForce: false, by: 'override', last };
  }
  const release = overrides.find((o) => o.action === 'release');
  const pass = evaluations.find((e) => e.outcome === 'pass');
  const candidates = [release?.from, pass?.at].filter((t): t is number => t !== undefined);
  if (candidates.length === 0) {
    return { inForce: false, by: 'gate', last };
  }
  return { inForce: true, since: Math.max(phaseAt, Math.min(...candidates)) };
}

export function heldPhase(phase: string, phaseAt: number, status: GateStatus): HeldPhase | null {
  if (status.inForce) {
    return null;
  }
  const last = status.last;
  return {
    phase,
    phaseAt: toIso(phaseAt),
    by: status.by,
    evaluatedAt: last === null ? null : toIso(last.at),
    outcome: last?.outcome ?? null,
    checks: last === null ? [] : last.checks.map((c) => ({ ...c, snapshotIds: [...c.snapshotIds] })),
  };
}
