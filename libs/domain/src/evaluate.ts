import {
  type CompiledPhase,
  type CompiledPolicy,
  type CompiledRevision,
  governingRevision,
} from './compiled-plan';
import {
  type CapabilityState,
  type CompiledService,
  capabilityAt,
  knownIntroducedAt,
} from './compiled-service';
import { toIsoOrNull } from './dates';
import { type HeldPhase, gateStatus, heldPhase } from './gates';
import { type Level, levelRank, levelShowsInstructions } from './plan.types';
import { type CompiledPostponement, knownPostponement } from './postponement';
import type { Requirement, RequirementSource } from './requirement.types';

// DESIGN.md "Resolution semantics" for one policy, one service, all requested populations.

export interface Evaluation {
  revision: CompiledRevision | null;
  level: Level;
  /** When the chosen source began to give this level (ms); null for `none`. */
  since: number | null;
  source: RequirementSource;
  /** The chosen source's setup instructions (a phase's or its policy's); null for none. */
  instructionsUrl: string | null;
  /** Gated phases that cover this service and population at `at` but are held; absent when none. */
  held?: HeldPhase[];
}

const NONE_SOURCE: RequirementSource = Object.freeze({ kind: 'none' });
const STATEMENT_SOURCE: RequirementSource = Object.freeze({ kind: 'statement' });

/** When the phase began to cover the service (ignoring populations), or null if it does not. */
export function phaseCoverSince(
  phase: CompiledPhase,
  service: CompiledService,
  state: CapabilityState,
): number | null {
  const from = phase.at ?? Number.NEGATIVE_INFINITY;
  if (phase.except !== null && phase.except.has(service.id)) {
    return null;
  }
  if (phase.services !== null) {
    return phase.services.has(service.id) ? from : null;
  }
  if (phase.tags !== null && !phase.tags.every((tag) => service.tags.has(tag))) {
    return null;
  }
  if (phase.capability === null) {
    return from;
  }
  if (state.capability !== phase.capability) {
    return null;
  }
  return state.spellStart === null ? from : Math.max(from, state.spellStart);
}

/** A candidate replaces the best when stronger, or equally strong and older (a longer-standing explanation). */
function offer(
  best: Evaluation,
  level: Level,
  since: number,
  source: RequirementSource,
  instructionsUrl: string | null,
): void {
  const rank = levelRank(level) - levelRank(best.level);
  if (rank < 0 || (rank === 0 && (best.since === null || since >= best.since))) {
    return;
  }
  best.level = level;
  best.since = since;
  best.source = source;
  best.instructionsUrl = instructionsUrl;
}

function ruleCandidates(
  revision: CompiledRevision,
  service: CompiledService,
  state: CapabilityState,
  at: number,
  asOf: number,
) {
  const fired: { level: Level; since: number; source: RequirementSource; instructionsUrl: string | null }[] =
    [];
  if (state.capability !== 'ready' || state.spellStart === null) {
    return fired;
  }
  const introducedAt = knownIntroducedAt(service, asOf);
  for (const rule of revision.rules) {
    if (rule.on === 'mfa-ready' && state.spellStart > rule.since) {
      fired.push({
        level: rule.level,
        since: state.spellStart,
        source: rule.source,
        instructionsUrl: rule.instructionsUrl,
      });
    } else if (
      rule.on === 'service-introduced' &&
      introducedAt !== null &&
      introducedAt > rule.since &&
      introducedAt <= at
    ) {
      fired.push({
        level: rule.level,
        since: Math.max(introducedAt, state.spellStart),
        source: rule.source,
        instructionsUrl: rule.instructionsUrl,
      });
    }
  }
  return fired;
}

export function evaluatePolicy(
  policy: CompiledPolicy,
  service: CompiledService,
  populations: readonly string[],
  at: number,
  asOf: number,
): Evaluation[] {
  const revision = governingRevision(policy, at, asOf);
  if (revision === null) {
    return populations.map(() => ({
      revision: null,
      level: 'none',
      since: null,
      source: NONE_SOURCE,
      instructionsUrl: null,
    }));
  }
  return evaluateRevision(policy, revision, service, populations, at, asOf);
}

function evaluateRevision(
  policy: CompiledPolicy,
  revision: CompiledRevision,
  service: CompiledService,
  populations: readonly string[],
  at: number,
  asOf: number,
): Evaluation[] {
  const state = capabilityAt(service, at, asOf);
  const covering: { phase: CompiledPhase; since: number }[] = [];
  const held: { phase: CompiledPhase; held: HeldPhase }[] = [];
  const postponed: { phase: CompiledPhase; since: number; postponement: CompiledPostponement }[] = [];
  for (const phase of revision.phases) {
    if (!phase.active || phase.at === null || phase.at > at) {
      continue;
    }
    let since = phaseCoverSince(phase, service, state);
    if (since === null) {
      continue;
    }
    if (phase.gates !== null) {
      const status = gateStatus(policy.gating.get(phase.key), phase.at, at, asOf);
      const why = heldPhase(phase.key, phase.at, status);
      if (why !== null) {
        held.push({ phase, held: why });
        continue;
      }
      since = status.inForce ? Math.max(since, status.since) : since;
    }
    const postponement =
      service.postponements.length === 0
        ? null
        : knownPostponement(service.postponements, policy.policy.id, phase.key, at, asOf);
    if (postponement === null) {
      covering.push({ phase, since });
    } else if (at < postponement.until) {
      postponed.push({ phase, since: Math.max(since, postponement.recordedAt), postponement });
    } else {
      // Lapsed: the phase gives its level to this service from the postponed date, not its own.
      covering.push({ phase, since: Math.max(since, postponement.until) });
    }
  }
  const rules = ruleCandidates(revision, service, state, at, asOf);
  const statementHolds = revision.mandatorySince !== null && revision.mandatorySince <= at;
  return populations.map((population) => {
    const best: Evaluation = {
      revision,
      level: 'none',
      since: null,
      source: NONE_SOURCE,
      instructionsUrl: null,
    };
    for (const { phase, since } of covering) {
      if (phase.populations === null || phase.populations.has(population)) {
        offer(best, phase.level, since, phase.source, phase.instructionsUrl);
      }
    }
    for (const rule of rules) {
      offer(best, rule.level, rule.since, rule.source, rule.instructionsUrl);
    }
    if (statementHolds && revision.mandatorySince !== null) {
      offer(best, 'expected', revision.mandatorySince, STATEMENT_SOURCE, null);
    }
    const heldHere = held.filter(
      ({ phase }) => phase.populations === null || phase.populations.has(population),
    );
    if (heldHere.length > 0) {
      best.held = heldHere.map((entry) => entry.held);
    }
    // A postponed phase raises nothing; when it would have, the answer names the postponement.
    for (const { phase, since, postponement } of postponed) {
      const applies = phase.populations === null || phase.populations.has(population);
      if (applies && levelRank(phase.level) > levelRank(best.level)) {
        best.since = since;
        best.source = postponement.source;
        break;
      }
    }
    return best;
  });
}

/** The revision a revision took over from, among those known at asOf. */
function replacedRevision(
  policy: CompiledPolicy,
  revision: CompiledRevision,
  asOf: number,
): CompiledRevision | null {
  for (let index = policy.revisions.indexOf(revision) - 1; index >= 0; index -= 1) {
    const candidate = policy.revisions[index];
    if (candidate.publishAt <= asOf || candidate.recordedAt <= asOf) {
      return candidate;
    }
  }
  return null;
}

const sameSource = (a: RequirementSource, b: RequirementSource): boolean =>
  a.kind === b.kind &&
  (a.kind !== 'phase' || (b.kind === 'phase' && a.phase === b.phase)) &&
  (a.kind !== 'rule' || (b.kind === 'rule' && a.rule === b.rule)) &&
  (a.kind !== 'postponement' || (b.kind === 'postponement' && a.postponement === b.postponement));

/**
 * When the evaluated requirement actually took effect: a revision cannot make a rule in force
 * before it was itself published. A phase it dates earlier than its `publishAt` (a backdated or
 * carried-over step) took effect at that `publishAt`, unless the revision it replaced already gave
 * the same level from the same source just before: then as long as that one did, and so on back.
 * The plan's own date stays the evaluation's `since` (the answer's `plannedSince`). Only for an
 * instant the revision governed on the live timeline (`publishAt <= at`); before that, the answer
 * is the plan's view of the past, and says so by its dates alone.
 */
export function inForceSince(
  policy: CompiledPolicy,
  service: CompiledService,
  population: string,
  evaluation: Evaluation,
  at: number,
  asOf: number,
): number | null {
  let current = evaluation;
  const withoutPostponements: CompiledService = { ...service, postponements: [] };
  while (
    current.revision !== null &&
    current.since !== null &&
    current.since < current.revision.publishAt &&
    current.revision.publishAt <= at
  ) {
    const takeover = current.revision.publishAt;
    const replaced = replacedRevision(policy, current.revision, asOf);
    if (replaced === null) {
      return takeover;
    }
    // Revisions only: a postponement's own dates are its answer's business (postponement.ts).
    const [before] = evaluateRevision(
      policy,
      replaced,
      withoutPostponements,
      [population],
      takeover - 1,
      asOf,
    );
    if (
      before.level !== current.level ||
      before.since === null ||
      !sameSource(before.source, current.source)
    ) {
      return takeover;
    }
    current = before;
  }
  return current.since;
}

/** `since` is when it took effect (inForceSince); `plannedSince` what the plan dates it from. */
export function toRequirement(
  policyId: string,
  population: string,
  evaluation: Evaluation,
  since: number | null = evaluation.since,
): Requirement {
  const requirement: Requirement = {
    policy: policyId,
    revision: evaluation.revision === null ? null : evaluation.revision.number,
    population,
    level: evaluation.level,
    since: toIsoOrNull(since),
    plannedSince: toIsoOrNull(evaluation.since),
    // A copy: compiled sources are shared and frozen.
    source: { ...evaluation.source },
    ...(evaluation.held === undefined ? {} : { held: evaluation.held }),
  };
  // Only where an enforcement point shows the user something, and only when the plan gives one,
  // so documents of plans without instructions keep their hash.
  if (evaluation.instructionsUrl !== null && levelShowsInstructions(evaluation.level)) {
    requirement.instructionsUrl = evaluation.instructionsUrl;
  }
  return requirement;
}

export function sameEvaluation(a: Evaluation, b: Evaluation): boolean {
  return a.revision === b.revision && a.level === b.level && a.since === b.since && a.source === b.source;
}
