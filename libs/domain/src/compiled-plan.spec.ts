import { compilePolicies, compilePolicy, governingRevision } from './compiled-plan';
import { aPhase, aPlan, aPolicy, aPolicyWith, aRevision, ms } from './testing/factories';

describe(compilePolicy.name, () => {
  it('parses every date once, date-only values at midnight in the policy zone', () => {
    const plan = aPlan({
      mandatory: { since: '2024-02-28' },
      phases: [
        aPhase({ effective: { at: '2024-03-01' } }),
        aPhase({ key: 'later', effective: { tentative: '2024-06' } }),
      ],
      standingRules: [{ on: 'mfa-ready', since: '2024-02-28T12:00:00+09:00' }, { on: 'service-introduced' }],
    });
    const sut = compilePolicy(
      aPolicyWith([aRevision(1, '2024-02-27T15:00:00.000Z', plan)], aPolicy({ timezone: 'Asia/Tokyo' })),
    );
    const [revision] = sut.revisions;
    expect(revision.mandatorySince).toBe(ms('2024-02-27T15:00:00Z'));
    expect(revision.phases.map((phase) => phase.at)).toEqual([ms('2024-02-29T15:00:00Z'), null]);
    expect(revision.phases[1].tentativeSortMs).toBe(ms('2024-05-31T15:00:00Z'));
    expect(revision.rules.map((rule) => [rule.since, rule.level])).toEqual([
      [ms('2024-02-28T03:00:00Z'), 'enforced'],
      [ms('2024-02-27T15:00:00Z'), 'enforced'],
    ]);
    expect(sut.instants).toEqual([ms('2024-02-27T15:00:00Z'), ms('2024-02-29T15:00:00Z')]);
  });

  it('reads Europe/Berlin dates across the DST changes at local midnight', () => {
    const plan = aPlan({
      phases: [
        aPhase({ effective: { at: '2024-03-31' } }),
        aPhase({ key: 'b', effective: { at: '2024-10-27' } }),
      ],
    });
    const sut = compilePolicy(
      aPolicyWith([aRevision(1, '2024-01-01T00:00:00.000Z', plan)], aPolicy({ timezone: 'Europe/Berlin' })),
    );
    expect(sut.revisions[0].phases.map((phase) => phase.at)).toEqual([
      ms('2024-03-30T23:00:00Z'),
      ms('2024-10-26T22:00:00Z'),
    ]);
  });

  it('refuses to compile a stored plan with an invalid date', () => {
    const plan = aPlan({ phases: [aPhase({ effective: { at: '2024-03-01T10:00' } })] });
    expect(() => compilePolicy(aPolicyWith([aRevision(1, '2024-01-01T00:00:00.000Z', plan)]))).toThrow(
      'effective.at of p1',
    );
  });

  it('passes a compiled policy through and orders policies by id', () => {
    const b = compilePolicy(aPolicyWith([], aPolicy({ id: 'b' })));
    const sut = compilePolicies([b, aPolicyWith([], aPolicy({ id: 'a' }))]);
    expect(sut.map((policy) => policy.policy.id)).toEqual(['a', 'b']);
    expect(sut[1]).toBe(b);
  });
});

describe(governingRevision.name, () => {
  const policy = compilePolicy(
    aPolicyWith([
      aRevision(2, '2024-05-01T00:00:00.000Z', aPlan(), '2024-04-01T00:00:00.000Z'),
      aRevision(1, '2024-01-01T00:00:00.000Z', aPlan()),
      aRevision(3, '2024-09-01T00:00:00.000Z', aPlan(), '2024-08-01T00:00:00.000Z'),
    ]),
  );
  const numberAt = (t: string, asOf: string) => governingRevision(policy, ms(t), ms(asOf))?.number ?? null;

  it.each([
    ['2023-06-01T00:00:00Z', '2023-12-31T00:00:00Z', null],
    ['2023-06-01T00:00:00Z', '2024-01-01T00:00:00Z', 1],
    ['2024-03-01T00:00:00Z', '2024-06-01T00:00:00Z', 2],
    ['2024-06-01T00:00:00Z', '2024-03-01T00:00:00Z', 1],
    ['2024-06-01T00:00:00Z', '2024-04-01T00:00:00Z', 2],
    ['2024-10-01T00:00:00Z', '2024-04-01T00:00:00Z', 2],
    ['2024-10-01T00:00:00Z', '2024-08-01T00:00:00Z', 3],
    ['2024-08-15T00:00:00Z', '2024-08-01T00:00:00Z', 2],
  ])('at %s as of %s is revision %p', (t, asOf, expected) => {
    expect(numberAt(t, asOf)).toBe(expected);
  });

  it('prefers the higher number at an equal publishAt', () => {
    const tie = compilePolicy(
      aPolicyWith([
        aRevision(2, '2024-01-01T00:00:00.000Z', aPlan()),
        aRevision(1, '2024-01-01T00:00:00.000Z', aPlan()),
      ]),
    );
    expect(governingRevision(tie, ms('2024-02-01T00:00:00Z'), ms('2024-02-01T00:00:00Z'))?.number).toBe(2);
  });
});
