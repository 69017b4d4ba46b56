import { auditEventHash, GENESIS_HASH } from './audit-hash';

describe(auditEventHash.name, () => {
  // Exports must verify for as long as they are kept, so the format is pinned: this digest was
  // computed outside Node (`printf 'stepwise.audit-event.v1\n{…}' | sha256sum`) over the documented
  // prefix and the event's canonical JSON (keys sorted, no whitespace).
  it('is SHA-256 over the domain prefix and the canonical JSON of every field but the hash', () => {
    const sut = auditEventHash({
      seq: 1,
      occurredAt: '2024-03-01T00:00:00.000Z',
      actor: { role: 'admin', id: 'bootstrap-admin', name: 'STEPWISE_ADMIN_TOKEN' },
      action: 'token.created',
      resourceType: 'token',
      resourceId: 't-1',
      before: null,
      after: { role: 'auditor', id: 't-1' },
      reason: null,
      requestId: 'req-1',
      outcome: 'success',
      prevHash: GENESIS_HASH,
    });
    expect(sut).toBe('affceabad6e517f14e8c5777feff5e87809eba8f9c57b48064dc14c257795795');
  });

  it('starts the chain from 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });
});
