import { auditEventHash, GENESIS_HASH } from '../audit-hash';
import type { AuditEventRecord } from '../audit-event-record';

/** A correctly chained history of `length` events, as the writer would have produced it. */
export function validChain(length: number): AuditEventRecord[] {
  const events: AuditEventRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const fields = {
      seq,
      occurredAt: new Date(Date.UTC(2024, 2, 1, 0, 0, seq)).toISOString(),
      actor: { id: `token-${seq % 3}`, name: 'desk, "north"', role: 'admin' },
      action: seq % 2 === 0 ? 'token.revoked' : 'token.created',
      resourceType: 'token',
      resourceId: `t-${seq}`,
      before: seq % 2 === 0 ? { id: `t-${seq}`, revokedAt: null } : null,
      after: { id: `t-${seq}`, tags: ['a', 'b'], note: 'line\nbreak' },
      reason: seq % 5 === 0 ? 'rotated' : null,
      requestId: `req-${seq}`,
      outcome: 'success',
      prevHash,
    };
    const hash = auditEventHash(fields);
    events.push({ ...fields, hash });
    prevHash = hash;
  }
  return events;
}
