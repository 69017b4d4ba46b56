import type { HeldPhase } from './gates';
import type { Level, StandingRuleKind } from './plan.types';

export type RequirementSource =
  | { kind: 'phase'; phase: string }
  | { kind: 'rule'; rule: StandingRuleKind }
  | { kind: 'statement' }
  | { kind: 'none' }
  /** A phase that would give a stronger level is postponed for this service until `until` (ISO UTC). */
  | { kind: 'postponement'; postponement: string; phase: string; until: string };

/** One per (policy, population): the DESIGN.md "requirements answer" item. */
export interface Requirement {
  policy: string;
  revision: number | null;
  population: string;
  level: Level;
  /**
   * ISO UTC: when this source began to give this level to this service and population, as in
   * force: never before the publication of the revision that made it (see inForceSince).
   */
  since: string | null;
  /** ISO UTC: when the plan dates it from (a backdated phase: earlier than `since`). */
  plannedSince: string | null;
  source: RequirementSource;
  /** Gated phases that would raise this requirement but are held, with the failing gate and its value. */
  held?: HeldPhase[];
  /** At `warn` and `enforced`, when the phase or policy gives one: what to show users without MFA. */
  instructionsUrl?: string;
}

/**
 * A level change after `at` in the plan as known at `asOf`. Confirmed changes carry `at`
 * (ISO UTC) and `tentative: null`; a tentative phase that would raise the level carries
 * `at: null` and its target (`YYYY-MM` or a date).
 */
export interface Upcoming {
  policy: string;
  revision: number;
  population: string;
  level: Level;
  at: string | null;
  tentative: string | null;
  phase?: string;
  rule?: StandingRuleKind;
  /**
   * A gated phase not yet released: `at` is its confirmed instant, the earliest it may take
   * effect; this says why it waits (the latest evaluation, or none yet).
   */
  held?: HeldPhase;
}

export interface RequirementsResult {
  requirements: Requirement[];
  upcoming: Upcoming[];
}

/** A change of level on the live timeline (what is actually enforced at each instant). */
export interface LiveTransition {
  /** ISO UTC. */
  at: string;
  atMs: number;
  policy: string;
  population: string;
  from: Level;
  to: Level;
  revision: number | null;
  source: RequirementSource;
}
