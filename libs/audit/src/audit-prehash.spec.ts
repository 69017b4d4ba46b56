import fc from 'fast-check';
import { auditEventHash } from './audit-hash';
import { canonicalJson } from '@stepwise/domain/canonical-json';
import { PrehashedAuditEvent, storedJsonText, UnplacedAuditFields } from './audit-prehash';

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

describe(storedJsonText.name, () => {
  /** The reference: canonical JSON of what jsonb gives back, i.e. of the JSON round trip. */
  const roundTripped = (value: unknown): string =>
    value === undefined || value === null ? 'null' : canonicalJson(JSON.parse(JSON.stringify(value)));
  const outcome = (f: () => string): { text: string } | { threw: true } => {
    try {
      return { text: f() };
    } catch {
      return { threw: true };
    }
  };

  it('gives the canonical JSON of the value after a JSON round trip, for any value', () => {
    fc.assert(
      fc.property(
        fc.anything({ withDate: true, withBoxedValues: true, withMap: true, withNullPrototype: true }),
        (value) => {
          expect(outcome(() => storedJsonText(value))).toEqual(outcome(() => roundTripped(value)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['a Date', { at: new Date(Date.UTC(2024, 1, 29)) }, '{"at":"2024-02-29T00:00:00.000Z"}'],
    ['an invalid Date', { at: new Date(Number.NaN) }, '{"at":null}'],
    ['NaN', [Number.NaN, 1], '[null,1]'],
    ['a function and an undefined key', { f: () => 1, u: undefined, k: 1 }, '{"k":1}'],
    [
      'a class instance',
      new (class Token {
        constructor(readonly id = 't') {}
      })(),
      '{"id":"t"}',
    ],
    ['an object with toJSON', { toJSON: () => ({ b: 1, a: 2 }) }, '{"a":2,"b":1}'],
  ])('handles %s as JSON.stringify does', (_label, value, text) => {
    expect(storedJsonText(value)).toBe(text);
  });
});
