import type { PolicyEntity } from '@stepwise/persistence/policy.entity';

export interface PolicyView {
  id: string;
  title: string;
  timezone: string;
  populations: string[];
  requireApproval: boolean;
  /** Setup instructions for users without MFA (rules documents carry it at warn and enforced). */
  instructionsUrl: string | null;
  /** The revision in force now: the newest published one whose publishAt has come. */
  activeRevision: number | null;
  /** The newest published revision, a scheduled one included: what a new draft is based on. */
  latestPublished: number | null;
  createdAt: string;
}

export function toPolicyView(policy: PolicyEntity, activeRevision: number | null): PolicyView {
  return {
    id: policy.id,
    title: policy.title,
    timezone: policy.timezone,
    populations: policy.populations,
    requireApproval: policy.requireApproval,
    instructionsUrl: policy.instructionsUrl,
    activeRevision,
    latestPublished: policy.latestPublished,
    createdAt: policy.createdAt.toISOString(),
  };
}

/** What the audit log keeps of a policy definition. */
export function policyAuditView(policy: PolicyEntity): Record<string, unknown> {
  return {
    id: policy.id,
    title: policy.title,
    timezone: policy.timezone,
    populations: policy.populations,
    requireApproval: policy.requireApproval,
    instructionsUrl: policy.instructionsUrl,
  };
}
