import { type CompiledPolicy, type PolicyInput, compilePolicies } from './compiled-plan';
import { type CompiledService, type ServiceInput, compileService, serviceInstants } from './compiled-service';
import { toIso } from './dates';
import { type Evaluation, evaluatePolicy, sameEvaluation } from './evaluate';
import type { LiveTransition } from './requirement.types';
import { instantsAfter } from './upcoming';

// The LIVE timeline: what is actually in force at each instant t, i.e. resolution with
// at = asOf = t. A revision takes over at its publishAt; a fact recorded after its
// effectiveAt applies from its recordedAt. Levels are right-continuous: a change "at" t
// holds from t on, so the level is constant on [t_i, t_{i+1}).

export interface LiveTimelineInput {
  policies: readonly PolicyInput[];
  service: ServiceInput;
}

/** Every instant at which anything in force for this service may change, after `after`. */
function liveInstants(policy: CompiledPolicy, service: CompiledService, after: number): number[] {
  return instantsAfter(after, policy.instants, serviceInstants(service, null));
}

function liveEvaluation(policy: CompiledPolicy, service: CompiledService, at: number): Evaluation[] {
  return evaluatePolicy(policy, service, policy.policy.populations, at, at);
}

/**
 * Level changes of any (policy, population) in [from, to), in time order: a window of a month
 * starting at a midnight holds the changes at that midnight, and the next window those at its end.
 */
export function liveTransitions(input: LiveTimelineInput & { from: number; to: number }): LiveTransition[] {
  const service = compileService(input.service);
  const transitions: LiveTransition[] = [];
  // Instants are whole milliseconds: the level just before `from` is the level at from - 1.
  const before = input.from - 1;
  for (const policy of compilePolicies(input.policies)) {
    const populations = policy.policy.populations;
    let previous = liveEvaluation(policy, service, before);
    for (const instant of liveInstants(policy, service, before)) {
      if (instant >= input.to) {
        break;
      }
      const current = liveEvaluation(policy, service, instant);
      current.forEach((evaluation, index) => {
        const before = previous[index];
        if (evaluation.level === before.level) {
          return;
        }
        transitions.push({
          at: toIso(instant),
          atMs: instant,
          policy: policy.policy.id,
          population: populations[index],
          from: before.level,
          to: evaluation.level,
          revision: evaluation.revision === null ? null : evaluation.revision.number,
          source: { ...evaluation.source },
        });
      });
      previous = current;
    }
  }
  // Stable: within one instant, policies by id and populations in policy order.
  return transitions.sort((a, b) => a.atMs - b.atMs);
}

/**
 * The first instant after `from` at which the live requirements of the service change in
 * any way (level, source, since or governing revision), i.e. when its rules document
 * changes; null when nothing known will change. Wider than liveTransitions, which lists
 * level changes only: a revision taking over without changing a level still changes the
 * document. With `until`, only a change at or before it counts (null otherwise).
 */
export function nextLiveChangeAt(input: LiveTimelineInput & { from: number; until?: number }): number | null {
  const service = compileService(input.service);
  const until = input.until ?? Infinity;
  let next: number | null = null;
  for (const policy of compilePolicies(input.policies)) {
    let initial: Evaluation[] | null = null;
    for (const instant of liveInstants(policy, service, input.from)) {
      if (instant > until || (next !== null && instant >= next)) {
        break;
      }
      // Evaluated only when some instant is in the window (a refresh's check mostly finds none).
      initial ??= liveEvaluation(policy, service, input.from);
      const before = initial;
      const current = liveEvaluation(policy, service, instant);
      if (current.some((evaluation, index) => !sameEvaluation(evaluation, before[index]))) {
        next = instant;
        break;
      }
    }
  }
  return next;
}
