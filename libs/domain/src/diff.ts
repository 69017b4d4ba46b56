import { canonicalJson } from './canonical-json';
import type { Phase, RevisionPlan, StandingRule, StandingRuleKind } from './plan.types';

export type DiffStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** One changed leaf, by dotted path (`effective.at`, `scope.selector.tags`); null = absent. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface StatementDiff {
  status: DiffStatus;
  changes?: FieldChange[];
}

export interface PhaseDiff {
  key: string;
  status: DiffStatus;
  changes?: FieldChange[];
}

export interface StandingRuleDiff {
  on: StandingRuleKind;
  status: DiffStatus;
  changes?: FieldChange[];
}

export interface RevisionPlanDiff {
  statement: StatementDiff;
  phases: PhaseDiff[];
  standingRules: StandingRuleDiff[];
}

// Lists whose order carries no meaning: a reordering is not reported as a change.
const SET_FIELDS = new Set(['scope.services', 'scope.except', 'scope.populations', 'scope.selector.tags']);

function flatten(value: unknown, prefix: string, into: Map<string, unknown>): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) {
      flatten(entry, prefix === '' ? key : `${prefix}.${key}`, into);
    }
  } else if (value !== undefined) {
    into.set(
      prefix,
      Array.isArray(value) && SET_FIELDS.has(prefix) ? [...(value as unknown[])].sort() : value,
    );
  }
  return into;
}

// The order a reader expects changes in (the order of the plan model's fields).
const FIELD_ORDER = [
  'key',
  'on',
  'title',
  'since',
  'effective.at',
  'effective.tentative',
  'scope.all',
  'scope.services',
  'scope.selector.mfaCapability',
  'scope.selector.tags',
  'scope.except',
  'scope.populations',
  'enforcement',
  'instructionsUrl',
  'state',
  'stateReason',
  'postponeUntilMax',
];

function fieldRank(field: string): number {
  const rank = FIELD_ORDER.indexOf(field);
  return rank === -1 ? FIELD_ORDER.length : rank;
}

/** Changed leaves, in the plan model's field order. */
export function fieldChanges(older: object, newer: object): FieldChange[] {
  const before = flatten(older, '', new Map());
  const after = flatten(newer, '', new Map());
  const fields = [...new Set([...after.keys(), ...before.keys()])].sort(
    (a, b) => fieldRank(a) - fieldRank(b),
  );
  return fields
    .filter((field) => canonicalJson(before.get(field) ?? null) !== canonicalJson(after.get(field) ?? null))
    .map((field) => ({ field, old: before.get(field) ?? null, new: after.get(field) ?? null }));
}

function compare<T extends object>(
  older: T | undefined,
  newer: T | undefined,
): { status: DiffStatus; changes?: FieldChange[] } {
  if (older === undefined) {
    return newer === undefined ? { status: 'unchanged' } : { status: 'added' };
  }
  if (newer === undefined) {
    return { status: 'removed' };
  }
  const changes = fieldChanges(older, newer);
  return changes.length === 0 ? { status: 'unchanged' } : { status: 'changed', changes };
}

function byKey<T, K>(items: readonly T[], key: (item: T) => K): { keys: K[]; map: Map<K, T> } {
  return { keys: items.map(key), map: new Map(items.map((item) => [key(item), item])) };
}

/** Newer's order first, then what only the older revision had. */
function mergeKeys<K>(older: K[], newer: K[]): K[] {
  return [...newer, ...older.filter((key) => !newer.includes(key))];
}

/** A rule stored without `enforcement` means `enforce`; that is not a change. */
function withRuleDefaults(rules: readonly StandingRule[]): StandingRule[] {
  return rules.map((rule) => ({ ...rule, enforcement: rule.enforcement ?? 'enforce' }));
}

/**
 * Phase-by-phase differences between two revision plans (phases matched by key, standing
 * rules by `on`); `older` null compares against an empty plan (a first revision).
 */
export function diffRevisionPlans(older: RevisionPlan | null, newer: RevisionPlan): RevisionPlanDiff {
  const oldPhases = byKey<Phase, string>(older?.phases ?? [], (phase) => phase.key);
  const newPhases = byKey<Phase, string>(newer.phases, (phase) => phase.key);
  const oldRules = byKey(withRuleDefaults(older?.standingRules ?? []), (rule) => rule.on);
  const newRules = byKey(withRuleDefaults(newer.standingRules), (rule) => rule.on);
  return {
    statement: compare(older?.mandatory, newer.mandatory),
    phases: mergeKeys(oldPhases.keys, newPhases.keys).map((key) => ({
      key,
      ...compare(oldPhases.map.get(key), newPhases.map.get(key)),
    })),
    standingRules: mergeKeys(oldRules.keys, newRules.keys).map((on) => ({
      on,
      ...compare(oldRules.map.get(on), newRules.map.get(on)),
    })),
  };
}
