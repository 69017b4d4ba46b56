// Adoption snapshots and the gates that read them: pure, no I/O. A gate's answer is a function of
// the snapshots known at the instant evaluated and of that instant, nothing else.

export type GateMetric = 'registered' | 'covered';
export const GATE_METRICS: readonly GateMetric[] = ['registered', 'covered'];

/** On a phase: the share of a population's eligible (minus exempt) people who reached `metric`. */
export interface Gate {
  population: string;
  metric: GateMetric;
  /** 0..1 */
  atLeast: number;
  /** The share held at every snapshot of the last `forDays` days. */
  forDays?: number;
  /** A duration such as `48h`, `2d` or `90m`; the newest snapshot may be at most this old. */
  maxDataAge?: string;
}

/** Counts for one population at one instant; never per-person rows. */
export interface AdoptionSnapshot {
  id: string;
  population: string;
  /** Epoch ms: the instant the counts describe. */
  asOf: number;
  /** Epoch ms: when Stepwise stored them (an answer for an earlier asOf ignores them). */
  recordedAt: number;
  eligible: number;
  registered: number;
  covered: number;
  exempt: number;
}

export type GateOutcome = 'pass' | 'fail' | 'inconclusive';
export const GATE_OUTCOMES: readonly GateOutcome[] = ['pass', 'fail', 'inconclusive'];

export type GateReason =
  | 'met'
  | 'below-threshold'
  | 'not-held-long-enough'
  | 'no-snapshot'
  | 'stale-snapshot'
  | 'eligible-jump'
  | 'no-eligible';

/** One gate's answer: the value read (null when none could be), the threshold and the snapshots used. */
export interface GateCheck {
  population: string;
  metric: GateMetric;
  atLeast: number;
  value: number | null;
  outcome: GateOutcome;
  reason: GateReason;
  snapshotIds: string[];
}

export interface GatesResult {
  outcome: GateOutcome;
  checks: GateCheck[];
}

export interface GateSettings {
  /** When a gate gives no maxDataAge. */
  defaultMaxDataAgeMs: number;
  /** An `eligible` count that moved by more than this share since the previous snapshot is not trusted. */
  eligibleJumpShare: number;
}

export const DEFAULT_GATE_SETTINGS: GateSettings = Object.freeze({
  defaultMaxDataAgeMs: 48 * 3_600_000,
  eligibleJumpShare: 0.2,
});

const DURATION = /^([1-9][0-9]{0,4})(m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `48h` → ms; undefined when the text is not a duration of minutes, hours or days. */
export function parseDataAge(text: string): number | undefined {
  const match = DURATION.exec(text);
  return match === null ? undefined : Number(match[1]) * UNIT_MS[match[2]];
}

/** The share a gate reads; null when nobody is eligible. */
export function adoptionShare(snapshot: AdoptionSnapshot, metric: GateMetric): number | null {
  const denominator = snapshot.eligible - snapshot.exempt;
  if (denominator <= 0) {
    return null;
  }
  return Math.min(1, snapshot[metric] / denominator);
}

const DAY_MS = 86_400_000;

function check(
  gate: Gate,
  outcome: GateOutcome,
  reason: GateReason,
  value: number | null,
  ids: string[],
): GateCheck {
  return {
    population: gate.population,
    metric: gate.metric,
    atLeast: gate.atLeast,
    value,
    outcome,
    reason,
    snapshotIds: ids,
  };
}

/** The snapshots of the gate's population known at `at` and describing an instant by then, oldest first. */
function knownSnapshots(gate: Gate, snapshots: readonly AdoptionSnapshot[], at: number): AdoptionSnapshot[] {
  return snapshots
    .filter((s) => s.population === gate.population && s.asOf <= at && s.recordedAt <= at)
    .sort((a, b) => a.asOf - b.asOf || a.recordedAt - b.recordedAt || (a.id < b.id ? -1 : 1));
}

export function evaluateGate(
  gate: Gate,
  snapshots: readonly AdoptionSnapshot[],
  at: number,
  settings: GateSettings = DEFAULT_GATE_SETTINGS,
): GateCheck {
  const known = knownSnapshots(gate, snapshots, at);
  const latest = known[known.length - 1];
  if (latest === undefined) {
    return check(gate, 'inconclusive', 'no-snapshot', null, []);
  }
  const value = adoptionShare(latest, gate.metric);
  const maxAge =
    (gate.maxDataAge === undefined ? undefined : parseDataAge(gate.maxDataAge)) ??
    settings.defaultMaxDataAgeMs;
  if (at - latest.asOf > maxAge) {
    return check(gate, 'inconclusive', 'stale-snapshot', value, [latest.id]);
  }
  const previous = known[known.length - 2];
  if (previous !== undefined) {
    const base = Math.max(previous.eligible, 1);
    if (Math.abs(latest.eligible - previous.eligible) / base > settings.eligibleJumpShare) {
      return check(gate, 'inconclusive', 'eligible-jump', value, [previous.id, latest.id]);
    }
  }
  if (value === null) {
    return check(gate, 'inconclusive', 'no-eligible', null, [latest.id]);
  }
  if (value < gate.atLeast) {
    return check(gate, 'fail', 'below-threshold', value, [latest.id]);
  }
  if (gate.forDays === undefined || gate.forDays <= 0) {
    return check(gate, 'pass', 'met', value, [latest.id]);
  }
  // Held for forDays: the snapshot in force at the window's start and every one since must meet it.
  const windowStart = at - gate.forDays * DAY_MS;
  const firstInWindow = known.findIndex((s) => s.asOf > windowStart);
  const start = firstInWindow === -1 ? known.length - 1 : firstInWindow - 1;
  if (start < 0) {
    return check(gate, 'fail', 'not-held-long-enough', value, [latest.id]);
  }
  const window = known.slice(start);
  const ids = window.map((s) => s.id);
  const allMet = window.every((s) => {
    const share = adoptionShare(s, gate.metric);
    return share !== null && share >= gate.atLeast;
  });
  return allMet
    ? check(gate, 'pass', 'met', value, ids)
    : check(gate, 'fail', 'not-held-long-enough', value, ids);
}

/** All gates must pass; any failure fails; otherwise any inconclusive answer makes the whole inconclusive. */
export function evaluateGates(
  gates: readonly Gate[],
  snapshots: readonly AdoptionSnapshot[],
  at: number,
  settings: GateSettings = DEFAULT_GATE_SETTINGS,
): GatesResult {
  const checks = gates.map((gate) => evaluateGate(gate, snapshots, at, settings));
  const outcome: GateOutcome = checks.some((c) => c.outcome === 'fail')
    ? 'fail'
    : checks.some((c) => c.outcome === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  return { outcome, checks };
}
