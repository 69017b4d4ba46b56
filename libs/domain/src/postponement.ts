import { storedInstantMs, toIso } from './dates';
import type { PostponementFact } from './plan.types';
import type { RequirementSource } from './requirement.types';

// An approved postponement is a directory fact like a capability change: it counts once
// recorded (recordedAt <= asOf) and, from its recording, holds one phase back for one service
// until its date, when it lapses by itself. Of several for one phase, the last recorded holds.

export interface CompiledPostponement {
  id: string;
  policy: string;
  phase: string;
  until: number;
  recordedAt: number;
  /** Shared and frozen, so that two evaluations with the same postponement compare equal. */
  source: RequirementSource;
}

/** Ordered by recordedAt (then as listed): the later of two statements wins. */
export function compilePostponements(facts: readonly PostponementFact[] | undefined): CompiledPostponement[] {
  if (facts === undefined || facts.length === 0) {
    return [];
  }
  return facts
    .map((fact) => {
      const until = storedInstantMs(fact.until);
      return {
        id: fact.id,
        policy: fact.policy,
        phase: fact.phase,
        until,
        recordedAt: storedInstantMs(fact.recordedAt),
        source: Object.freeze({
          kind: 'postponement' as const,
          postponement: fact.id,
          phase: fact.phase,
          until: toIso(until),
        }),
      };
    })
    .sort((a, b) => a.recordedAt - b.recordedAt);
}

/**
 * The postponement of `phase` for the service that counts at `at` as known at `asOf`: the last one
 * recorded by both, whether it still holds (`at` before its date) or has lapsed; null if none.
 */
export function knownPostponement(
  postponements: readonly CompiledPostponement[],
  policy: string,
  phase: string,
  at: number,
  asOf: number,
): CompiledPostponement | null {
  const known = Math.min(at, asOf);
  let found: CompiledPostponement | null = null;
  for (const postponement of postponements) {
    if (postponement.recordedAt > known) {
      break;
    }
    if (postponement.policy === policy && postponement.phase === phase) {
      found = postponement;
    }
  }
  return found;
}

/** The postponement that holds `phase` back at `at` as known at `asOf`; null: none, or it lapsed. */
export function postponementAt(
  postponements: readonly CompiledPostponement[],
  policy: string,
  phase: string,
  at: number,
  asOf: number,
): CompiledPostponement | null {
  const found = knownPostponement(postponements, policy, phase, at, asOf);
  return found !== null && at < found.until ? found : null;
}

/** Instants at which postponements may change a level; `asOf` null = live timeline. */
export function postponementInstants(
  postponements: readonly CompiledPostponement[],
  asOf: number | null,
): number[] {
  const instants: number[] = [];
  for (const postponement of postponements) {
    if (asOf === null || postponement.recordedAt <= asOf) {
      instants.push(postponement.recordedAt, postponement.until);
    }
  }
  return instants;
}
