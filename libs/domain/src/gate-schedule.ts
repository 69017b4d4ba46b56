import { DateTime } from 'luxon';
import { type CompiledPolicy, governingRevision } from './compiled-plan';

// When a gated phase's gates are due to be evaluated: at the phase's instant, then daily at a set
// time of day in the policy's zone, until an evaluation passes.

const TIME_OF_DAY = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

export function isTimeOfDay(text: string): boolean {
  return TIME_OF_DAY.test(text);
}

/** The latest instant at which an evaluation is due by `now`: the phase's instant or a daily time after it. */
export function dueEvaluationAt(
  phaseAt: number,
  dailyTime: string,
  zone: string,
  now: number,
): number | null {
  if (phaseAt > now) {
    return null;
  }
  const match = TIME_OF_DAY.exec(dailyTime);
  if (match === null) {
    return phaseAt;
  }
  let daily = DateTime.fromMillis(now, { zone }).set({
    hour: Number(match[1]),
    minute: Number(match[2]),
    second: 0,
    millisecond: 0,
  });
  if (daily.toMillis() > now) {
    daily = daily.minus({ days: 1 });
  }
  return Math.max(phaseAt, daily.toMillis());
}

export interface DueGateEvaluation {
  policy: string;
  revision: number;
  phase: string;
  gates: NonNullable<CompiledPolicy['revisions'][number]['phases'][number]['gates']>;
  at: number;
}

/**
 * Every gated phase of the live plan whose evaluation is due by `now` and not yet stored, and that
 * has not already been released by a passing evaluation.
 */
export function dueGateEvaluations(
  policies: readonly CompiledPolicy[],
  dailyTime: string,
  now: number,
): DueGateEvaluation[] {
  const due: DueGateEvaluation[] = [];
  for (const policy of policies) {
    const revision = governingRevision(policy, now, now);
    if (revision === null) {
      continue;
    }
    for (const phase of revision.phases) {
      if (!phase.active || phase.at === null || phase.gates === null) {
        continue;
      }
      const at = dueEvaluationAt(phase.at, dailyTime, policy.policy.timezone, now);
      if (at === null) {
        continue;
      }
      const evaluations = policy.gating.get(phase.key)?.evaluations ?? [];
      const phaseAt = phase.at;
      if (evaluations.some((e) => e.at >= phaseAt && (e.outcome === 'pass' || e.at === at))) {
        continue;
      }
      due.push({
        policy: policy.policy.id,
        revision: revision.number,
        phase: phase.key,
        gates: phase.gates,
        at,
      });
    }
  }
  return due;
}
