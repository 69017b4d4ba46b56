import { readDateOrInstant, readTentative } from './date-readers';
import { joinPath } from './field-error';
import { readGates } from './gate-validation';
import type { InputReader } from './input-reader';
import { readPostponeUntilMax } from './postponement-check';
import { ENFORCEMENTS, PHASE_STATES, type Phase, type PhaseEffective } from './plan.types';
import type { RevisionValidationContext } from './revision-context';
import { readScope } from './scope-validation';

const PHASE_FIELDS = [
  'key',
  'title',
  'effective',
  'scope',
  'enforcement',
  'state',
  'stateReason',
  'postponeUntilMax',
  'instructionsUrl',
  'gates',
];
const EFFECTIVE_FIELDS = ['at', 'tentative'];
/** Phase keys are slug-like; one character is allowed (`a`), unlike service ids. */
const PHASE_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;

function readEffective(
  reader: InputReader,
  value: unknown,
  path: string,
  zone: string,
): PhaseEffective | undefined {
  const input = reader.record(value, path, EFFECTIVE_FIELDS);
  if (input === undefined) {
    return undefined;
  }
  if ((input.at === undefined) === (input.tentative === undefined)) {
    return reader.fail(path, 'must give exactly one of at, tentative');
  }
  if (input.at !== undefined) {
    const at = readDateOrInstant(reader, input.at, joinPath(path, 'at'), zone);
    return at === undefined ? undefined : { at };
  }
  const tentative = readTentative(reader, input.tentative, joinPath(path, 'tentative'));
  return tentative === undefined ? undefined : { tentative };
}

/** One phase; returns undefined (with errors recorded) when anything is wrong. */
export function readPhase(
  reader: InputReader,
  value: unknown,
  path: string,
  ctx: RevisionValidationContext,
): Phase | undefined {
  const input = reader.record(value, path, PHASE_FIELDS);
  if (input === undefined) {
    return undefined;
  }
  const before = reader.errors.length;
  const key = reader.string(input.key, joinPath(path, 'key'));
  if (key !== undefined && !PHASE_KEY.test(key)) {
    reader.fail(
      joinPath(path, 'key'),
      'must be slug-like: lowercase letters, digits and hyphens, at most 63 characters',
    );
  }
  const title = reader.nonEmptyString(input.title, joinPath(path, 'title'));
  const effective = readEffective(reader, input.effective, joinPath(path, 'effective'), ctx.timezone);
  const scope = readScope(reader, input.scope, joinPath(path, 'scope'), ctx);
  const enforcement = reader.oneOf(input.enforcement, joinPath(path, 'enforcement'), ENFORCEMENTS);
  const state =
    input.state === undefined ? 'active' : reader.oneOf(input.state, joinPath(path, 'state'), PHASE_STATES);
  let stateReason: string | undefined;
  if (input.stateReason !== undefined) {
    stateReason = reader.string(input.stateReason, joinPath(path, 'stateReason'));
  }
  const instructionsUrl =
    input.instructionsUrl === undefined
      ? undefined
      : reader.httpUrl(input.instructionsUrl, joinPath(path, 'instructionsUrl'));
  const needsReason = state === 'suspended' || state === 'cancelled';
  if (needsReason && input.stateReason === undefined) {
    reader.fail(joinPath(path, 'stateReason'), `is required when state is ${state}`);
  } else if (needsReason && stateReason !== undefined && stateReason.trim() === '') {
    reader.fail(joinPath(path, 'stateReason'), `must not be empty when state is ${state}`);
  }
  const gates = readGates(
    reader,
    input.gates,
    joinPath(path, 'gates'),
    { confirmed: effective?.at !== undefined, state },
    ctx.populations,
  );
  const postponeUntilMax =
    input.postponeUntilMax === undefined
      ? undefined
      : readPostponeUntilMax(
          reader,
          input.postponeUntilMax,
          joinPath(path, 'postponeUntilMax'),
          effective,
          ctx.timezone,
        );
  if (reader.errors.length !== before) {
    return undefined;
  }
  if (key === undefined || title === undefined || effective === undefined || scope === undefined) {
    return undefined;
  }
  if (enforcement === undefined || state === undefined) {
    return undefined;
  }
  const phase: Phase = { key, title, effective, scope, enforcement, state };
  if (stateReason !== undefined) {
    phase.stateReason = stateReason;
  }
  if (postponeUntilMax !== undefined) {
    phase.postponeUntilMax = postponeUntilMax;
  }
  if (instructionsUrl !== undefined) {
    phase.instructionsUrl = instructionsUrl;
  }
  if (gates !== undefined) {
    phase.gates = gates;
  }
  return phase;
}
