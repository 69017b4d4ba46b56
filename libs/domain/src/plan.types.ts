// The plan model as stored: dates stay as the author wrote them (a date is read in the
// policy's timezone, an instant carries its own offset); compiled-plan.ts parses them once.

import type { Gate } from './adoption';
import type { GatingFacts } from './gates';

export type MfaCapability = 'ready' | 'not-ready';
export const MFA_CAPABILITIES: readonly MfaCapability[] = ['ready', 'not-ready'];

/** What a service must require of a population, strongest first. */
export type Level = 'enforced' | 'warn' | 'report-only' | 'expected' | 'none';
export const LEVELS: readonly Level[] = ['enforced', 'warn', 'report-only', 'expected', 'none'];

const LEVEL_RANK: Readonly<Record<Level, number>> = {
  none: 0,
  expected: 1,
  'report-only': 2,
  warn: 3,
  enforced: 4,
};

/** Higher is stronger: none 0 < expected 1 < report-only 2 < warn 3 < enforced 4. */
export function levelRank(level: Level): number {
  return LEVEL_RANK[level];
}

export function strongerLevel(a: Level, b: Level): Level {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/** `warn`: users without MFA see a warning with setup instructions and may continue. */
export type Enforcement = 'enforce' | 'warn' | 'report-only';
export const ENFORCEMENTS: readonly Enforcement[] = ['enforce', 'warn', 'report-only'];

/** The levels at which a rules document carries `instructionsUrl`: the user is shown something. */
export function levelShowsInstructions(level: Level): boolean {
  return level === 'enforced' || level === 'warn';
}

export type PhaseState = 'active' | 'suspended' | 'cancelled';
export const PHASE_STATES: readonly PhaseState[] = ['active', 'suspended', 'cancelled'];

export type StandingRuleKind = 'mfa-ready' | 'service-introduced';
export const STANDING_RULE_KINDS: readonly StandingRuleKind[] = ['mfa-ready', 'service-introduced'];

/** Exactly one of `at` (confirmed: a date or an instant with offset) or `tentative` (`YYYY-MM` or a date). */
export interface PhaseEffective {
  at?: string;
  tentative?: string;
}

/** A service matches when it has ALL `tags` and, at the instant in question, the `mfaCapability`. */
export interface PhaseSelector {
  mfaCapability?: MfaCapability;
  tags?: string[];
}

/**
 * Exactly one of `services` / `selector` / `all`, minus `except`; no `populations` = all of the
 * policy's. `all: true` covers every service, ready or not, present or introduced later.
 */
export interface PhaseScope {
  all?: true;
  services?: string[];
  selector?: PhaseSelector;
  except?: string[];
  populations?: string[];
}

export interface Phase {
  key: string;
  title: string;
  effective: PhaseEffective;
  scope: PhaseScope;
  enforcement: Enforcement;
  state: PhaseState;
  stateReason?: string;
  /** All must pass for a confirmed phase to take effect; until then it is held (adoption.ts, gates.ts). */
  gates?: Gate[];
  /**
   * The latest date (or instant) to which a service's owner may ask to postpone this phase for
   * their service; absent: the phase cannot be postponed. Only on a confirmed phase, after its date.
   */
  postponeUntilMax?: string;
  /** Setup instructions for this phase's users; overrides the policy's. */
  instructionsUrl?: string;
}

/** Baseline `since` defaults to the revision's publishAt; `enforcement` defaults to `enforce`. */
export interface StandingRule {
  on: StandingRuleKind;
  since?: string;
  enforcement?: Enforcement;
}

export interface RevisionPlan {
  mandatory?: { since: string };
  phases: Phase[];
  standingRules: StandingRule[];
}

export interface PolicyModel {
  id: string;
  title: string;
  /** IANA zone in which date-only values of the plan are read. */
  timezone: string;
  populations: string[];
  requireApproval: boolean;
  /** Where users without MFA learn to set it up; rules documents carry it at warn and enforced. */
  instructionsUrl?: string;
}

export interface PublishedRevision {
  number: number;
  /** ISO instant (UTC): when this revision takes over from the previous one. */
  publishAt: string;
  /** ISO instant (UTC): when the system stored it. */
  recordedAt: string;
  plan: RevisionPlan;
}

export interface CapabilityChange {
  mfaCapability: MfaCapability;
  /** ISO instant with offset. */
  effectiveAt: string;
  /** ISO instant with offset. */
  recordedAt: string;
}

/** What the directory said, from `recordedAt` on, about when the service was introduced. */
export interface IntroductionFact {
  /** ISO instant with offset; null: not introduced (a statement that cleared it). */
  introducedAt: string | null;
  /** ISO instant with offset. */
  recordedAt: string;
}

/** The directory facts about one service; every instant is an ISO string with an offset. */
export interface ServiceFacts {
  id: string;
  tags: string[];
  /** When the service was registered. */
  recordedAt: string;
  /** Every statement of its introduction: at asOf, the last one recorded by then holds. */
  introductions: IntroductionFact[];
  capabilityChanges: CapabilityChange[];
  /** Approved postponements of a phase for this service (see postponement.ts); absent: none. */
  postponements?: PostponementFact[];
}

/** An approved postponement: from `recordedAt` until `until`, the phase does not apply to the service. */
export interface PostponementFact {
  /** The request's id, shown in `source.postponement`. */
  id: string;
  policy: string;
  phase: string;
  /** ISO instant with offset: the postponed date, at which the postponement lapses. */
  until: string;
  /** ISO instant with offset: when it was approved. */
  recordedAt: string;
}

export interface PolicyWithRevisions {
  policy: PolicyModel;
  revisions: PublishedRevision[];
  /** Gate evaluations and approved overrides of the policy's gated phases (by phase key). */
  gating?: GatingFacts;
}
