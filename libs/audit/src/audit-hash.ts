import { hash } from 'node:crypto';
import { canonicalJson } from '@stepwise/domain/canonical-json';

/** The chain starts from this constant: the first event's prevHash. */
export const GENESIS_HASH = '0'.repeat(64);

/** Domain separation: a hash of any other Stepwise structure can never pass for an event's. */
export const AUDIT_HASH_PREFIX = 'stepwise.audit-event.v1\n';

/** The fields an event's hash covers: all of them except the hash itself. */
export interface HashedAuditFields {
  seq: number;
  occurredAt: string;
  actor: { id: string; name: string; role: string };
  action: string;
  resourceType: string;
  resourceId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  outcome: string;
  prevHash: string;
}

export function auditEventHash(fields: HashedAuditFields): string {
  return hash('sha256', AUDIT_HASH_PREFIX + canonicalJson(fields), 'hex');
}
