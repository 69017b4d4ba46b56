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
  // Contacts and notices (libs/notices, issue 21).
  'contact.added',
  'contact.removed',
  'policy.notice-settings-changed',
  'notice.superseded',
  'notice.sent',
  'notice.send-failed',
  // Postponement requests: an owner asks, a planner approves or rejects (apps/api postponements).
  'postponement.requested',
  'postponement.approved',
  'postponement.rejected',
  'postponement.withdrawn',
  // Adoption: snapshots, gate evaluations, overrides and device loans (libs/planning adoption-*).
  'adoption.snapshots-imported',
  'gate.evaluated',
  'gate.override-requested',
  'gate.override-approved',
  'gate.override-rejected',
  'loan.issued',
  'loan.returned',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'success' | 'denied' | 'failure';
