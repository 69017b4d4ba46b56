import { AuditRow, toAuditRecord } from './audit-rows';

const row = (occurredAt: string): AuditRow => ({
  seq: '12',
  occurred_at: occurredAt,
  actor_id: 'a',
  actor_name: 'n',
  actor_role: 'admin',
  action: 'token.created',
  resource_type: 'token',
  resource_id: 't',
  before: null,
  after: { id: 't' },
  reason: null,
  request_id: 'r',
  outcome: 'success',
  prev_hash: '0'.repeat(64),
  hash: '1'.repeat(64),
});

describe(toAuditRecord.name, () => {
  it('gives a millisecond instant in the form the hash was computed over', () => {
    expect(toAuditRecord(row('2024-03-01T09:15:00.123000'))).toMatchObject({
      seq: 12,
      occurredAt: '2024-03-01T09:15:00.123Z',
      actor: { id: 'a', name: 'n', role: 'admin' },
      prevHash: '0'.repeat(64),
    });
  });

  it('keeps sub-millisecond digits, so an instant edited below a millisecond no longer verifies', () => {
    expect(toAuditRecord(row('2024-03-01T09:15:00.123400')).occurredAt).toBe('2024-03-01T09:15:00.123400Z');
  });
});
