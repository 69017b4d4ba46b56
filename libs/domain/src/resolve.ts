import { type PolicyInput, compilePolicies } from './compiled-plan';
import { type ServiceInput, compileService, serviceInstants } from './compiled-service';
import { evaluatePolicy, inForceSince, toRequirement } from './evaluate';
import type { Requirement, RequirementsResult } from './requirement.types';
import { type SortableUpcoming, sortUpcoming, upcomingChanges } from './upcoming';

export interface ResolveInput {
  /** Raw or compiled; compile once with compilePolicies when resolving many services. */
  policies: readonly PolicyInput[];
  service: ServiceInput;
  /** Narrows the answer to one population; policies without it contribute nothing. */
  population?: string;
  /** The instant asked about (ms). */
  at: number;
  /** What was known then (ms): revisions published and facts recorded by asOf. */
  asOf: number;
}

/**
 * `resolve(service, population, at, asOf)` of DESIGN.md: one requirement per (policy,
 * population), policies by id and populations in the policy's order, and the level
 * changes after `at` as known at asOf (confirmed by instant, tentative by target).
 */
export function resolveRequirements(input: ResolveInput): RequirementsResult {
  const service = compileService(input.service);
  const requirements: Requirement[] = [];
  const upcoming: SortableUpcoming[] = [];
  for (const policy of compilePolicies(input.policies)) {
    const all = policy.policy.populations;
    const populations =
      input.population === undefined ? all : all.filter((name) => name === input.population);
    if (populations.length === 0) {
      continue;
    }
    const evaluations = evaluatePolicy(policy, service, populations, input.at, input.asOf);
    evaluations.forEach((evaluation, index) => {
      const population = populations[index];
      const since = inForceSince(policy, service, population, evaluation, input.at, input.asOf);
      requirements.push(toRequirement(policy.policy.id, population, evaluation, since));
    });
    upcoming.push(...upcomingChanges(policy, service, populations, input.at, input.asOf));
  }
  return { requirements, upcoming: sortUpcoming(upcoming) };
}

/**
 * When the live answer (`at = asOf = now`) may next change: the first instant after `now` at which
 * a policy's revision is recorded or published, a phase or mandatory date falls, or one of the
 * service's facts takes effect or is recorded. For every t from `now` up to that instant, the live
 * answer at t differs from the one at `now` only in `at`/`asOf`, so a process may keep it until
 * then (null: it never changes again). Tested as a property in resolve.property.spec.ts.
 */
export function liveAnswerValidUntil(
  policies: readonly PolicyInput[],
  service: ServiceInput,
  now: number,
): number | null {
  let next = Infinity;
  const consider = (instant: number): void => {
    if (instant > now && instant < next) {
      next = instant;
    }
  };
  for (const policy of compilePolicies(policies)) {
    policy.instants.forEach(consider);
    for (const revision of policy.revisions) {
      consider(revision.recordedAt);
    }
  }
  serviceInstants(compileService(service), null).forEach(consider);
  return next === Infinity ? null : next;
}
