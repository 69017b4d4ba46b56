/** Every action the audit log records: dotted, past tense, one catalogue. */
export const AUDIT_ACTIONS = [
  'auth.denied',
  'token.created',
  'token.revoked',
  // People signing in to the console and out (apps/api console).
  'session.signed-in',
  'session.refused',
  'session.signed-out',
  // Service directory, policies, revisions and plan files (libs/planning).
  'service.created',
  'service.updated',
  'service.capability-changed',
  'policy.created',
  'revision.drafted',
  'revision.submitted',
  'revision.approved',
  'revision.rejected',
  'revision.withdrawn',
  'revision.published',
  'revision.imported',
  'plan.imported',
  'services.imported',
  // Enforcement: desired rules applied by webhook or acknowledged by pull, and connectors (libs/enforcement).
  'rules.applied',
  'rules.apply-failed',
  'rules.transition-late',
  'rules.redelivery-requested',
  'connector.disabled',
  'connector.enabled',
  // Postponement requests: an owner asks, a planner approves or rejects (apps/api postponements).
  'postponement.requested',
  'postponement.approved',
  'postponement.rejected',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'success' | 'denied' | 'failure';
