import type { CompiledPolicy } from './compiled-plan';
import { type CompiledService, capabilityAt, serviceInstants } from './compiled-service';
import { toIso } from './dates';
import { type Evaluation, evaluatePolicy, phaseCoverSince } from './evaluate';
import { levelRank } from './plan.types';
import type { Upcoming } from './requirement.types';

/** An upcoming entry with the instant it sorts by (a tentative target: its start in the policy zone). */
export interface SortableUpcoming {
  entry: Upcoming;
  sortMs: number;
}

/** By instant; at equal instants confirmed before tentative, then policy id; otherwise stable. */
export function sortUpcoming(items: SortableUpcoming[]): Upcoming[] {
  const rank = (item: SortableUpcoming) => (item.entry.at === null ? 1 : 0);
  const byPolicy = (a: SortableUpcoming, b: SortableUpcoming) =>
    a.entry.policy === b.entry.policy ? 0 : a.entry.policy < b.entry.policy ? -1 : 1;
  return items
    .sort((a, b) => a.sortMs - b.sortMs || rank(a) - rank(b) || byPolicy(a, b))
    .map((item) => item.entry);
}

/** Sorted unique instants after `after`. */
export function instantsAfter(after: number, ...lists: readonly (readonly number[])[]): number[] {
  const set = new Set<number>();
  for (const list of lists) {
    for (const instant of list) {
      if (instant > after) {
        set.add(instant);
      }
    }
  }
  return [...set].sort((a, b) => a - b);
}

function sourceFields(evaluation: Evaluation): Pick<Upcoming, 'phase' | 'rule'> {
  const { source } = evaluation;
  if (source.kind === 'phase') {
    return { phase: source.phase };
  }
  if (source.kind === 'rule') {
    return { rule: source.rule };
  }
  if (source.kind === 'postponement') {
    return { phase: source.phase };
  }
  return {};
}

/**
 * Level changes after `at` in the plan as known at `asOf` (scheduled revisions included),
 * then the tentative active phases of the last known revision that would raise the level
 * reached at the end of that timeline.
 */
export function upcomingChanges(
  policy: CompiledPolicy,
  service: CompiledService,
  populations: readonly string[],
  at: number,
  asOf: number,
): SortableUpcoming[] {
  const found: SortableUpcoming[] = [];
  let previous = evaluatePolicy(policy, service, populations, at, asOf);
  let last = at;
  for (const instant of instantsAfter(at, policy.instants, serviceInstants(service, asOf))) {
    const current = evaluatePolicy(policy, service, populations, instant, asOf);
    current.forEach((evaluation, index) => {
      if (evaluation.level === previous[index].level || evaluation.revision === null) {
        return;
      }
      const entry: Upcoming = {
        policy: policy.policy.id,
        revision: evaluation.revision.number,
        population: populations[index],
        level: evaluation.level,
        at: toIso(instant),
        tentative: null,
        ...sourceFields(evaluation),
      };
      found.push({ entry, sortMs: instant });
    });
    previous = current;
    last = instant;
  }
  const state = capabilityAt(service, last, asOf);
  previous.forEach((final, index) => {
    const revision = final.revision;
    if (revision === null) {
      return;
    }
    // Gated phases still held at the end of the known timeline: what would come, and why it waits.
    for (const held of final.held ?? []) {
      const phase = revision.phases.find((candidate) => candidate.key === held.phase);
      if (phase === undefined || phase.at === null || levelRank(phase.level) <= levelRank(final.level)) {
        continue;
      }
      const entry: Upcoming = {
        policy: policy.policy.id,
        revision: revision.number,
        population: populations[index],
        level: phase.level,
        at: held.phaseAt,
        tentative: null,
        phase: phase.key,
        held,
      };
      found.push({ entry, sortMs: Math.max(phase.at, at) });
    }
    for (const phase of revision.phases) {
      if (!phase.active || phase.tentative === null || phase.tentativeSortMs === null) {
        continue;
      }
      if (phase.populations !== null && !phase.populations.has(populations[index])) {
        continue;
      }
      if (levelRank(phase.level) <= levelRank(final.level)) {
        continue;
      }
      if (phaseCoverSince(phase, service, state) === null) {
        continue;
      }
      const entry: Upcoming = {
        policy: policy.policy.id,
        revision: revision.number,
        population: populations[index],
        level: phase.level,
        at: null,
        tentative: phase.tentative,
        phase: phase.key,
      };
      found.push({ entry, sortMs: phase.tentativeSortMs });
    }
  });
  return found;
}
