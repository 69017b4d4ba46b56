import { IANAZone } from 'luxon';
import { type FieldError, joinPath } from './field-error';
import { InputReader } from './input-reader';
import type { PolicyModel } from './plan.types';

export type PolicyValidation = { ok: true; policy: PolicyModel } | { ok: false; errors: FieldError[] };

const POLICY_FIELDS = ['id', 'title', 'timezone', 'populations', 'requireApproval', 'instructionsUrl'];
export const DEFAULT_POPULATIONS: readonly string[] = ['everyone'];

/** The canonical IANA name (`asia/tokyo` → `Asia/Tokyo`), or undefined when Luxon does not know the zone. */
export function canonicalZone(zone: string): string | undefined {
  // Fixed offsets such as `+09:00` are not IANA zones and would hide DST rules.
  if (!/^[A-Za-z]/.test(zone) || !IANAZone.isValidZone(zone)) {
    return undefined;
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/**
 * `{id, title, timezone, populations?, requireApproval?, instructionsUrl?}`: populations default to
 * `['everyone']`, requireApproval to true; the timezone is returned in canonical spelling.
 */
export function validatePolicyInput(input: unknown, path = ''): PolicyValidation {
  const reader = new InputReader();
  const record = reader.record(input, path, POLICY_FIELDS);
  if (record === undefined) {
    return { ok: false, errors: reader.errors };
  }
  const id = reader.slug(record.id, joinPath(path, 'id'));
  const title = reader.nonEmptyString(record.title, joinPath(path, 'title'));
  const zoneText = reader.string(record.timezone, joinPath(path, 'timezone'));
  const timezone = zoneText === undefined ? undefined : canonicalZone(zoneText);
  if (zoneText !== undefined && timezone === undefined) {
    reader.fail(joinPath(path, 'timezone'), `'${zoneText}' is not an IANA timezone (e.g. Asia/Tokyo)`);
  }
  const populations =
    record.populations === undefined
      ? [...DEFAULT_POPULATIONS]
      : reader.stringList(record.populations, joinPath(path, 'populations'), (v, p) => reader.slug(v, p), 1);
  const requireApproval =
    record.requireApproval === undefined
      ? true
      : reader.boolean(record.requireApproval, joinPath(path, 'requireApproval'));
  const instructionsUrl =
    record.instructionsUrl === undefined || record.instructionsUrl === null
      ? undefined
      : reader.httpUrl(record.instructionsUrl, joinPath(path, 'instructionsUrl'));
  if (reader.errors.length > 0) {
    return { ok: false, errors: reader.errors };
  }
  if (id === undefined || title === undefined || timezone === undefined) {
    return { ok: false, errors: reader.errors };
  }
  if (populations === undefined || requireApproval === undefined) {
    return { ok: false, errors: reader.errors };
  }
  const policy: PolicyModel = { id, title, timezone, populations, requireApproval };
  if (instructionsUrl !== undefined) {
    policy.instructionsUrl = instructionsUrl;
  }
  return { ok: true, policy };
}
