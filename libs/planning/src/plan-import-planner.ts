import { canonicalJson } from '@stepwise/domain/canonical-json';
import type { PlanFile, PlanFileRevision } from '@stepwise/domain/plan-file';
import type { PolicyEntity } from '@stepwise/persistence/policy.entity';
import type { RevisionEntity } from '@stepwise/persistence/revision.entity';

export type RevisionImportAction = 'add' | 'unchanged' | 'conflict';

export interface RevisionImportStep {
  number: number;
  action: RevisionImportAction;
  summary: string;
  publishAt: string;
  /** publishAt already past: stored flagged `imported`. */
  backdated: boolean;
  conflict?: string;
}

/** What importing a plan file would do, decided before anything is written. */
export interface PlanImportPreview {
  kind: 'plan';
  policy: string;
  policyAction: 'create' | 'unchanged' | 'conflict';
  policyConflict?: string;
  revisions: RevisionImportStep[];
}

const POLICY_FIELDS = ['title', 'timezone', 'populations', 'requireApproval'] as const;

function differingFields(revision: RevisionEntity, wanted: PlanFileRevision): string[] {
  const fields: string[] = [];
  if (revision.summary !== wanted.summary) {
    fields.push('summary');
  }
  if (revision.reason !== wanted.reason) {
    fields.push('reason');
  }
  if (revision.sourceUrl !== wanted.sourceUrl) {
    fields.push('sourceUrl');
  }
  if (revision.publishAt?.toISOString() !== wanted.publishAt) {
    fields.push('publishAt');
  }
  if (canonicalJson(revision.plan) !== canonicalJson(wanted.plan)) {
    fields.push('plan');
  }
  // Compared only when the file names an approver: revisions imported before 2026-12-02 from a
  // file that named none were stored with the importer as approver, and must still re-import.
  if (wanted.approvedBy !== null && revision.approvedByName !== wanted.approvedBy) {
    fields.push('approvedBy');
  }
  return fields;
}

/**
 * File revision i is stored revision i + 1. One already stored as the same published revision is
 * left alone (importing twice adds nothing); one stored differently is a conflict, because a
 * published revision is never rewritten (change the plan by appending a revision to the file).
 */
export function previewPlanImport(
  file: PlanFile,
  policy: PolicyEntity | null,
  stored: readonly RevisionEntity[],
  now: Date,
): PlanImportPreview {
  const byNumber = new Map(stored.map((revision) => [revision.number, revision]));
  const revisions = file.revisions.map((wanted, index): RevisionImportStep => {
    const number = index + 1;
    const step = {
      number,
      summary: wanted.summary,
      publishAt: wanted.publishAt,
      backdated: new Date(wanted.publishAt) < now,
    };
    const existing = byNumber.get(number);
    if (existing === undefined) {
      return { ...step, action: 'add' };
    }
    const fields = differingFields(existing, wanted);
    if (existing.status === 'published' && fields.length === 0) {
      return { ...step, action: 'unchanged' };
    }
    const conflict =
      existing.status === 'published'
        ? `revision ${number} is published and differs from revisions[${index}] (${fields.join(', ')}); a published revision is never rewritten: append a new revision instead`
        : `revision ${number} exists as a ${existing.status} revision; revisions[${index}] cannot take its number`;
    return { ...step, action: 'conflict', conflict };
  });
  if (policy === null) {
    return { kind: 'plan', policy: file.policy.id, policyAction: 'create', revisions };
  }
  const differing: string[] = POLICY_FIELDS.filter(
    (field) => canonicalJson(policy[field]) !== canonicalJson(file.policy[field]),
  );
  // Stored as null when absent: a file without it matches a policy stored without it.
  if ((policy.instructionsUrl ?? null) !== (file.policy.instructionsUrl ?? null)) {
    differing.push('instructionsUrl');
  }
  if (differing.length === 0) {
    return { kind: 'plan', policy: policy.id, policyAction: 'unchanged', revisions };
  }
  const policyConflict = `policy '${policy.id}' is stored with a different ${differing.map((f) => `policy.${f}`).join(', ')}`;
  return { kind: 'plan', policy: policy.id, policyAction: 'conflict', policyConflict, revisions };
}

export function importConflicts(preview: PlanImportPreview): string[] {
  const conflicts = preview.revisions.flatMap((step) => (step.conflict === undefined ? [] : [step.conflict]));
  return preview.policyConflict === undefined ? conflicts : [preview.policyConflict, ...conflicts];
}
