import { readDate, readDateOrInstant } from './date-readers';
import { type FieldError, indexPath, joinPath } from './field-error';
import { InputReader, isRecord } from './input-reader';
import {
  ENFORCEMENTS,
  STANDING_RULE_KINDS,
  type Phase,
  type RevisionPlan,
  type StandingRule,
} from './plan.types';
import { readPhase } from './phase-validation';
import type { RevisionValidationContext } from './revision-context';

export type { RevisionValidationContext } from './revision-context';
// Kept reachable from here: callers validating a policy and its plan import one module.
export { validatePolicyInput } from './policy-validation';

export type RevisionPlanValidation = { ok: true; plan: RevisionPlan } | { ok: false; errors: FieldError[] };

const PLAN_FIELDS = ['mandatory', 'phases', 'standingRules'];
const RULE_FIELDS = ['on', 'since', 'enforcement'];

function readPhases(
  reader: InputReader,
  value: unknown,
  path: string,
  ctx: RevisionValidationContext,
): Phase[] {
  if (value === undefined) {
    reader.fail(path, 'is required (an empty list is allowed)');
    return [];
  }
  const entries = reader.array(value, path) ?? [];
  const keys = new Map<string, number>();
  const phases: Phase[] = [];
  entries.forEach((entry, index) => {
    const phasePath = indexPath(path, index);
    const phase = readPhase(reader, entry, phasePath, ctx);
    // Duplicates are reported even when the phase has other errors.
    const key = isRecord(entry) && typeof entry.key === 'string' ? entry.key : undefined;
    if (key !== undefined) {
      const first = keys.get(key);
      if (first === undefined) {
        keys.set(key, index);
      } else {
        reader.fail(joinPath(phasePath, 'key'), `duplicates ${indexPath(path, first)}.key '${key}'`);
      }
    }
    if (phase !== undefined) {
      phases.push(phase);
    }
  });
  return phases;
}

function readRules(reader: InputReader, value: unknown, path: string, zone: string): StandingRule[] {
  if (value === undefined) {
    return [];
  }
  const entries = reader.array(value, path) ?? [];
  const kinds = new Map<string, number>();
  const rules: StandingRule[] = [];
  entries.forEach((entry, index) => {
    const rulePath = indexPath(path, index);
    const input = reader.record(entry, rulePath, RULE_FIELDS);
    if (input === undefined) {
      return;
    }
    const before = reader.errors.length;
    const on = reader.oneOf(input.on, joinPath(rulePath, 'on'), STANDING_RULE_KINDS);
    if (on !== undefined) {
      const first = kinds.get(on);
      if (first === undefined) {
        kinds.set(on, index);
      } else {
        reader.fail(joinPath(rulePath, 'on'), `duplicates ${indexPath(path, first)}.on '${on}'`);
      }
    }
    const since =
      input.since === undefined
        ? undefined
        : readDateOrInstant(reader, input.since, joinPath(rulePath, 'since'), zone);
    const enforcement =
      input.enforcement === undefined
        ? 'enforce'
        : reader.oneOf(input.enforcement, joinPath(rulePath, 'enforcement'), ENFORCEMENTS);
    if (reader.errors.length !== before || on === undefined || enforcement === undefined) {
      return;
    }
    rules.push(since === undefined ? { on, enforcement } : { on, since, enforcement });
  });
  return rules;
}

/**
 * Checks a revision plan against its policy and the service directory. Reports every
 * error, each naming its field path (`phases[2].effective.at`); on success returns the
 * plan with defaults filled (`state: 'active'`, `standingRules: []`, rule `enforcement`).
 */
export function validateRevisionPlan(input: unknown, ctx: RevisionValidationContext): RevisionPlanValidation {
  const reader = new InputReader();
  const root = ctx.path ?? '';
  const record = reader.record(input, root, [...PLAN_FIELDS, ...(ctx.otherRootFields ?? [])]);
  if (record === undefined) {
    return { ok: false, errors: reader.errors };
  }
  const plan: RevisionPlan = {
    phases: readPhases(reader, record.phases, joinPath(root, 'phases'), ctx),
    standingRules: readRules(reader, record.standingRules, joinPath(root, 'standingRules'), ctx.timezone),
  };
  if (record.mandatory !== undefined && record.mandatory !== null) {
    const mandatoryPath = joinPath(root, 'mandatory');
    const mandatory = reader.record(record.mandatory, mandatoryPath, ['since']);
    if (mandatory !== undefined) {
      const since = readDate(reader, mandatory.since, joinPath(mandatoryPath, 'since'), ctx.timezone);
      if (since !== undefined) {
        plan.mandatory = { since };
      }
    }
  }
  return reader.errors.length === 0 ? { ok: true, plan } : { ok: false, errors: reader.errors };
}
