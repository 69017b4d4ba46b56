import fc from 'fast-check';
import { auditEventHash } from './audit-hash';
import { PrehashedAuditEvent, UnplacedAuditFields } from './audit-prehash';

const json: fc.Arbitrary<unknown> = fc
  .jsonValue()
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown);
const text = fc.string({ unit: 'binary' });

const unplaced: fc.Arbitrary<UnplacedAuditFields> = fc.record({
  actor: fc.record({ id: text, name: text, role: text }),
  action: text,
  resourceType: text,
  resourceId: text,
  before: fc.option(json, { nil: null }),
  after: fc.option(json, { nil: null }),
  reason: fc.option(text, { nil: null }),
  requestId: fc.option(text, { nil: null }),
  outcome: text,
});

describe(PrehashedAuditEvent.name, () => {
  it('hashes exactly as the reference auditEventHash does, for any event', () => {
    fc.assert(
      fc.property(
        unplaced,
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.date({ noInvalidDate: true }),
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
        (fields, seq, at, prevHash) => {
          const occurredAt = at.toISOString();
          const sut = new PrehashedAuditEvent(fields);
          expect(sut.hash(seq, occurredAt, prevHash)).toBe(
            auditEventHash({ ...fields, seq, occurredAt, prevHash }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
