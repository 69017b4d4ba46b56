import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { compilePolicies } from './compiled-plan';
import { computeRules } from './rules-document';
import { aPhase, aPlan, aPolicy, aPolicyWith, aRevision, aService, ms } from './testing/factories';
import { instantMs, policy, service } from './testing/arbitraries';

const plan = aPlan({
  mandatory: { since: '2024-02-01' },
  phases: [aPhase({ key: 'step', effective: { at: '2024-03-01T00:00:00Z' } })],
});
const policies = [
  aPolicyWith(
    [aRevision(1, '2024-01-15T00:00:00.000Z', plan)],
    aPolicy({ populations: ['staff', 'students'] }),
  ),
];

describe(computeRules.name, () => {
  it('gives the rules in force now for every population and when they next change', () => {
    const sut = computeRules({ policies, service: aService(), now: ms('2024-02-10T00:00:00Z') });
    expect(sut.rules).toEqual([
      {
        policy: 'mfa',
        revision: 1,
        population: 'staff',
        level: 'expected',
        since: '2024-02-01T00:00:00.000Z',
        plannedSince: '2024-02-01T00:00:00.000Z',
        source: { kind: 'statement' },
      },
      {
        policy: 'mfa',
        revision: 1,
        population: 'students',
        level: 'expected',
        since: '2024-02-01T00:00:00.000Z',
        plannedSince: '2024-02-01T00:00:00.000Z',
        source: { kind: 'statement' },
      },
    ]);
    expect(sut.nextChangeAt).toBe('2024-03-01T00:00:00.000Z');
  });

  it('hashes the canonical JSON of service, rules and nextChangeAt', () => {
    const sut = computeRules({ policies, service: aService(), now: ms('2024-02-10T00:00:00Z') });
    const expected = createHash('sha256')
      .update(canonicalJson({ service: 'svc-a', rules: sut.rules, nextChangeAt: sut.nextChangeAt }))
      .digest('hex');
    expect(sut.hash).toBe(`sha256:${expected}`);
  });

  it('keeps the hash while nothing changes and changes it when the rules do', () => {
    const at = (iso: string) => computeRules({ policies, service: aService(), now: ms(iso) }).hash;
    expect(at('2024-02-10T00:00:00Z')).toBe(at('2024-02-20T00:00:00Z'));
    expect(at('2024-02-29T23:59:59.999Z')).not.toBe(at('2024-03-01T00:00:00Z'));
    expect(
      computeRules({ policies, service: aService({ id: 'svc-b' }), now: ms('2024-02-10T00:00:00Z') }).hash,
    ).not.toBe(at('2024-02-10T00:00:00Z'));
  });

  it('accepts compiled policies with the same answer', () => {
    const now = ms('2024-03-10T00:00:00Z');
    expect(computeRules({ policies: compilePolicies(policies), service: aService(), now })).toEqual(
      computeRules({ policies, service: aService(), now }),
    );
  });

  it('has the same document until nextChangeAt and a different one from it (property)', () => {
    fc.assert(
      fc.property(
        policy,
        service,
        instantMs,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (source, facts, now, fraction) => {
          const sut = computeRules({ policies: [source], service: facts, now });
          if (sut.nextChangeAt === null) {
            return;
          }
          const next = Date.parse(sut.nextChangeAt);
          const between = now + Math.floor((next - now - 1) * fraction);
          const later = computeRules({ policies: [source], service: facts, now: between });
          expect(later.rules).toEqual(sut.rules);
          expect(later.hash).toBe(sut.hash);
          expect(computeRules({ policies: [source], service: facts, now: next }).rules).not.toEqual(
            sut.rules,
          );
        },
      ),
    );
  });
});
