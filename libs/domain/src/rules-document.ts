import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { type PolicyInput, compilePolicies } from './compiled-plan';
import { type ServiceInput, compileService } from './compiled-service';
import { toIsoOrNull } from './dates';
import { evaluatePolicy, inForceSince, toRequirement } from './evaluate';
import type { Requirement } from './requirement.types';
import { nextLiveChangeAt } from './transitions';

export interface RulesInput {
  /** Compile once with compilePolicies when computing many services. */
  policies: readonly PolicyInput[];
  service: ServiceInput;
  now: number;
}

/** The computed part of a rules document; generation and computedAt are added by the caller. */
export interface ComputedRules {
  rules: Requirement[];
  /** ISO UTC: when these rules will next change on the live timeline; null when never. */
  nextChangeAt: string | null;
  /** `sha256:<hex>` of the canonical JSON of `{service, rules, nextChangeAt}`. */
  hash: string;
}

/** What an enforcement point applies now: resolution at at = asOf = now, every population. */
export function computeRules(input: RulesInput): ComputedRules {
  const service = compileService(input.service);
  const policies = compilePolicies(input.policies);
  const rules: Requirement[] = [];
  for (const policy of policies) {
    const populations = policy.policy.populations;
    evaluatePolicy(policy, service, populations, input.now, input.now).forEach((evaluation, index) => {
      const population = populations[index];
      const since = inForceSince(policy, service, population, evaluation, input.now, input.now);
      rules.push(toRequirement(policy.policy.id, population, evaluation, since));
    });
  }
  const nextChangeAt = toIsoOrNull(nextLiveChangeAt({ policies, service, from: input.now }));
  const digest = createHash('sha256')
    .update(canonicalJson({ service: service.id, rules, nextChangeAt }))
    .digest('hex');
  return { rules, nextChangeAt, hash: `sha256:${digest}` };
}
