import { parseDateOrInstant, toIso } from './dates';
import { type Validated, indexPath, joinPath } from './field-error';
import { InputReader, isRecord } from './input-reader';
import type { PolicyModel, RevisionPlan } from './plan.types';
import { DEFAULT_POPULATIONS, canonicalZone, validatePolicyInput } from './policy-validation';
import { validateRevisionPlan } from './revision-validation';

// Plan as code: `config/plans/*.yaml` (or JSON) holds one policy and its revisions in order.

export { parseServicesFile } from './services-file';

export interface PlanFileRevision {
  summary: string;
  reason: string;
  sourceUrl: string | null;
  /** ISO UTC; a date in the file is midnight in the policy's timezone. */
  publishAt: string;
  author: string | null;
  approvedBy: string | null;
  plan: RevisionPlan;
}

export interface PlanFile {
  policy: PolicyModel;
  revisions: PlanFileRevision[];
}

const META_FIELDS = ['summary', 'reason', 'sourceUrl', 'publishAt', 'author', 'approvedBy'];

/** Absent and `null` alike mean "none" (`approvedBy: null`: the file names no approver). */
function optionalText(reader: InputReader, value: unknown, path: string): string | null {
  return value === undefined || value === null ? null : (reader.nonEmptyString(value, path) ?? null);
}

function readRevision(
  reader: InputReader,
  input: unknown,
  path: string,
  policy: { timezone: string; populations: readonly string[] },
  serviceIds: ReadonlySet<string>,
): PlanFileRevision | undefined {
  const checked = validateRevisionPlan(input, { ...policy, serviceIds, path, otherRootFields: META_FIELDS });
  reader.errors.push(...(checked.ok ? [] : checked.errors));
  if (!isRecord(input)) {
    return undefined;
  }
  const before = reader.errors.length;
  const summary = reader.nonEmptyString(input.summary, joinPath(path, 'summary'));
  const reason = reader.nonEmptyString(input.reason, joinPath(path, 'reason'));
  const sourceUrl =
    input.sourceUrl === undefined
      ? null
      : (reader.httpUrl(input.sourceUrl, joinPath(path, 'sourceUrl')) ?? null);
  const author = optionalText(reader, input.author, joinPath(path, 'author'));
  const approvedBy = optionalText(reader, input.approvedBy, joinPath(path, 'approvedBy'));
  if (author !== null && author === approvedBy) {
    reader.fail(joinPath(path, 'approvedBy'), 'must not be the author (four-eyes)');
  }
  const publishText = reader.string(input.publishAt, joinPath(path, 'publishAt'));
  const publishAt = publishText === undefined ? undefined : parseDateOrInstant(publishText, policy.timezone);
  if (publishAt !== undefined && !publishAt.ok) {
    reader.fail(joinPath(path, 'publishAt'), publishAt.message);
  }
  if (!checked.ok || reader.errors.length !== before || summary === undefined || reason === undefined) {
    return undefined;
  }
  if (publishAt === undefined || !publishAt.ok) {
    return undefined;
  }
  return {
    summary,
    reason,
    sourceUrl,
    publishAt: toIso(publishAt.ms),
    author,
    approvedBy,
    plan: checked.plan,
  };
}

/**
 * `{policy, revisions}`; every error names its path (`revisions[1].phases[2].state`).
 * `serviceIds` are the services the plan may name (register them before importing it).
 */
export function parsePlanFile(input: unknown, serviceIds: ReadonlySet<string>): Validated<PlanFile> {
  const reader = new InputReader();
  const record = reader.record(input, '', ['policy', 'revisions']);
  if (record === undefined) {
    return { ok: false, errors: reader.errors };
  }
  const policy = validatePolicyInput(record.policy, 'policy');
  if (!policy.ok) {
    reader.errors.push(...policy.errors);
  }
  // With an invalid policy the revisions are still checked, against what can be salvaged.
  const context = policy.ok ? policy.policy : salvagePolicy(record.policy);
  const revisions: PlanFileRevision[] = [];
  const entries = reader.array(record.revisions, 'revisions') ?? [];
  entries.forEach((entry, index) => {
    const path = indexPath('revisions', index);
    const revision = readRevision(reader, entry, path, context, serviceIds);
    if (revision === undefined) {
      return;
    }
    const previous = revisions.at(-1);
    if (previous !== undefined && revision.publishAt < previous.publishAt) {
      reader.fail(joinPath(path, 'publishAt'), "must not be earlier than the previous revision's publishAt");
    }
    revisions.push(revision);
  });
  if (!policy.ok || reader.errors.length > 0) {
    return { ok: false, errors: reader.errors };
  }
  return { ok: true, value: { policy: policy.policy, revisions } };
}

function salvagePolicy(input: unknown): { timezone: string; populations: readonly string[] } {
  const record = isRecord(input) ? input : {};
  const timezone = typeof record.timezone === 'string' ? (canonicalZone(record.timezone) ?? 'UTC') : 'UTC';
  const listed = Array.isArray(record.populations)
    ? record.populations.filter((p): p is string => typeof p === 'string')
    : [];
  return { timezone, populations: listed.length > 0 ? listed : DEFAULT_POPULATIONS };
}
