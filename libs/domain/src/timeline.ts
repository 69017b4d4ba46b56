import { type CompiledPolicy, governingRevision } from './compiled-plan';
import { type CompiledService, capabilityAt, serviceInstants } from './compiled-service';
import { evaluatePolicy, phaseCoverSince, type Evaluation } from './evaluate';
import type { Level, PhaseState } from './plan.types';
import type { RequirementSource } from './requirement.types';
import { instantsAfter } from './upcoming';

// What the console's timeline draws for one service: for each (policy, population), the level
// over [from, to) as bands, and the phases that concern the service without raising its level
// (tentative targets, suspended or cancelled phases).

export interface TimelineBand {
  /** Epoch ms; the band holds on [from, to). */
  from: number;
  to: number;
  level: Level;
  revision: number | null;
  source: RequirementSource;
  /** When the source began to give this level (may be before `from`); null for `none`. */
  since: number | null;
}

export interface TimelineLane {
  policy: string;
  population: string;
  bands: TimelineBand[];
}

/** A phase of the plan as known that covers the service but raises nothing (yet). */
export interface TimelineMark {
  policy: string;
  revision: number;
  phase: string;
  title: string;
  state: PhaseState;
  stateReason: string | null;
  level: Level;
  /** A confirmed instant (a suspended phase's date), or null for a tentative target. */
  at: number | null;
  tentative: string | null;
  /** Where to draw it: the instant, or the start of the tentative target in the policy's zone. */
  drawAt: number | null;
}

export interface ServiceTimeline {
  lanes: TimelineLane[];
  marks: TimelineMark[];
}

export interface TimelineWindow {
  from: number;
  to: number;
  /**
   * The plan as known then (bitemporal asOf), for every instant of the window; null for the live
   * timeline (what was or will be in force at each instant, as known at that instant).
   */
  asOf: number | null;
  /** "Now": which revision's tentative and suspended phases to mark when asOf is null. */
  now: number;
}

const sourceKey = (source: RequirementSource): string =>
  source.kind === 'phase'
    ? `phase:${source.phase}`
    : source.kind === 'rule'
      ? `rule:${source.rule}`
      : source.kind === 'postponement'
        ? `postponement:${source.postponement}`
        : source.kind;

/** A band goes on while the level, its source and the revision that gives it stay the same. */
const sameBand = (band: TimelineBand, evaluation: Evaluation): boolean =>
  band.level === evaluation.level &&
  band.revision === (evaluation.revision?.number ?? null) &&
  sourceKey(band.source) === sourceKey(evaluation.source);

function lanesOf(policy: CompiledPolicy, service: CompiledService, window: TimelineWindow): TimelineLane[] {
  const populations = policy.policy.populations;
  const evaluate = (t: number) => evaluatePolicy(policy, service, populations, t, window.asOf ?? t);
  const lanes = populations.map((population) => ({
    policy: policy.policy.id,
    population,
    bands: [] as TimelineBand[],
  }));
  const open = (t: number, evaluations: Evaluation[]) => {
    evaluations.forEach((evaluation, index) => {
      const bands = lanes[index].bands;
      const last = bands[bands.length - 1];
      if (last !== undefined && sameBand(last, evaluation)) {
        return;
      }
      if (last !== undefined) {
        last.to = t;
      }
      bands.push({
        from: t,
        to: window.to,
        level: evaluation.level,
        revision: evaluation.revision?.number ?? null,
        source: evaluation.source,
        since: evaluation.since,
      });
    });
  };
  open(window.from, evaluate(window.from));
  const instants = instantsAfter(window.from, policy.instants, serviceInstants(service, window.asOf));
  if (window.asOf === null) {
    for (const revision of policy.revisions) {
      instants.push(revision.recordedAt);
    }
  }
  for (const instant of [...new Set(instants)].sort((a, b) => a - b)) {
    if (instant <= window.from) {
      continue;
    }
    if (instant >= window.to) {
      break;
    }
    open(instant, evaluate(instant));
  }
  for (const lane of lanes) {
    for (const band of lane.bands) {
      band.source = { ...band.source };
    }
  }
  return lanes;
}

function marksOf(policy: CompiledPolicy, service: CompiledService, window: TimelineWindow): TimelineMark[] {
  const known = window.asOf ?? window.now;
  // The newest revision known then, scheduled ones included: the plan as it stands.
  const revision = governingRevision(policy, Number.POSITIVE_INFINITY, known);
  if (revision === null) {
    return [];
  }
  const marks: TimelineMark[] = [];
  for (const phase of revision.phases) {
    const tentative = phase.at === null;
    if (phase.active && !tentative) {
      continue;
    }
    const probe = phase.at ?? phase.tentativeSortMs ?? known;
    const state = capabilityAt(service, Math.max(probe, known), known);
    if (phaseCoverSince(phase, service, state) === null) {
      continue;
    }
    marks.push({
      policy: policy.policy.id,
      revision: revision.number,
      phase: phase.key,
      title: phase.title,
      state: phase.state,
      stateReason: phase.stateReason,
      level: phase.level,
      at: phase.at,
      tentative: phase.tentative,
      drawAt: phase.at ?? phase.tentativeSortMs,
    });
  }
  return marks;
}

/** The timeline of one service under every policy (policies as compiled, by id). */
export function serviceTimeline(
  policies: readonly CompiledPolicy[],
  service: CompiledService,
  window: TimelineWindow,
): ServiceTimeline {
  const lanes: TimelineLane[] = [];
  const marks: TimelineMark[] = [];
  for (const policy of policies) {
    lanes.push(...lanesOf(policy, service, window));
    marks.push(...marksOf(policy, service, window));
  }
  return { lanes, marks };
}
