import { parseDateOrInstant } from '@stepwise/domain/dates';
import type { FieldError } from '@stepwise/domain/field-error';
import { InputReader, isRecord } from '@stepwise/domain/input-reader';
import type { RevisionPlan } from '@stepwise/domain/plan.types';
import { validateRevisionPlan, type RevisionValidationContext } from '@stepwise/domain/revision-validation';

/** A revision body as checked: the plan with the domain's defaults filled, dates parsed. */
export interface RevisionDraftInput {
  summary: string;
  reason: string;
  sourceUrl: string | null;
  publishAt: Date | null;
  plan: RevisionPlan;
}

const META_FIELDS = ['summary', 'reason', 'sourceUrl', 'publishAt'];

/**
 * `{summary, reason, sourceUrl?, publishAt?, mandatory?, phases, standingRules?}`. The plan is the
 * domain validator's (which refuses unknown fields at every depth); the few fields around it are
 * read here with the domain's readers, and every error of both is reported at once.
 */
export function readRevisionDraft(
  body: unknown,
  context: Omit<RevisionValidationContext, 'otherRootFields' | 'path'>,
): { ok: true; draft: RevisionDraftInput } | { ok: false; errors: FieldError[] } {
  const checked = validateRevisionPlan(body, { ...context, otherRootFields: META_FIELDS });
  const reader = new InputReader();
  const record = isRecord(body) ? body : {};
  const summary = reader.nonEmptyString(record.summary, 'summary');
  const reason = reader.nonEmptyString(record.reason, 'reason');
  const sourceUrl =
    record.sourceUrl === undefined ? null : (reader.httpUrl(record.sourceUrl, 'sourceUrl') ?? null);
  let publishAt: Date | null = null;
  if (record.publishAt !== undefined && record.publishAt !== null) {
    const text = reader.string(record.publishAt, 'publishAt');
    const parsed = text === undefined ? undefined : parseDateOrInstant(text, context.timezone);
    if (parsed?.ok) {
      publishAt = new Date(parsed.ms);
    } else if (parsed) {
      reader.fail('publishAt', parsed.message);
    }
  }
  const errors = [...(checked.ok ? [] : checked.errors), ...(isRecord(body) ? reader.errors : [])];
  if (!checked.ok || errors.length > 0 || summary === undefined || reason === undefined) {
    return { ok: false, errors };
  }
  return { ok: true, draft: { summary, reason, sourceUrl, publishAt, plan: checked.plan } };
}
