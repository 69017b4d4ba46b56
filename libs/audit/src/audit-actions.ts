/** Every action the audit log records: dotted, past tense, one catalogue. */
export const AUDIT_ACTIONS = ['auth.denied', 'token.created', 'token.revoked'] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'success' | 'denied' | 'failure';
