import type { PostponementFact, ServiceFacts } from './plan.types';
import { postponementAt, compilePostponements } from './postponement';
import { resolveRequirements } from './resolve';
import { computeRules } from './rules-document';
import { aPhase, aPlan, aPolicy, aPolicyWith, aRevision, aService, ms } from './testing/factories';
import { liveTransitions } from './transitions';

// Phase p1 enforces svc-a and svc-b from March 1st; svc-a's owner got it postponed to May 1st,
// approved on February 10th.
const policy = aPolicyWith(
  [
    aRevision(
      1,
      '2024-01-01T00:00:00.000Z',
      aPlan({
        mandatory: { since: '2024-01-01' },
        phases: [aPhase({ scope: { services: ['svc-a', 'svc-b'] }, postponeUntilMax: '2024-06-01' })],
      }),
    ),
  ],
  aPolicy({ populations: ['staff'] }),
);
const postponement: PostponementFact = {
  id: 'pp-1',
  policy: 'mfa',
  phase: 'p1',
  until: '2024-05-01T00:00:00.000Z',
  recordedAt: '2024-02-10T00:00:00.000Z',
};
const svcA = aService({ postponements: [postponement] });

function sut(service: ServiceFacts, at: string, asOf: string = at) {
  return resolveRequirements({ policies: [policy], service, at: ms(at), asOf: ms(asOf) });
}

describe('postponement', () => {
  it('holds the phase back for the service until its date, and names itself', () => {
    const result = sut(svcA, '2024-04-01T00:00:00Z');
    expect(result.requirements).toEqual([
      {
        policy: 'mfa',
        revision: 1,
        population: 'staff',
        level: 'expected',
        since: '2024-03-01T00:00:00.000Z',
        plannedSince: '2024-03-01T00:00:00.000Z',
        source: {
          kind: 'postponement',
          postponement: 'pp-1',
          phase: 'p1',
          until: '2024-05-01T00:00:00.000Z',
        },
      },
    ]);
    expect(result.upcoming).toEqual([
      {
        policy: 'mfa',
        revision: 1,
        population: 'staff',
        level: 'enforced',
        at: '2024-05-01T00:00:00.000Z',
        tentative: null,
        phase: 'p1',
      },
    ]);
  });

  it('lapses by itself at its date', () => {
    const result = sut(svcA, '2024-05-01T00:00:00Z');
    expect(result.requirements[0]).toMatchObject({
      level: 'enforced',
      since: '2024-05-01T00:00:00.000Z',
      source: { kind: 'phase', phase: 'p1' },
    });
  });

  it('changes nothing for another service under the same phase', () => {
    const svcB = aService({ id: 'svc-b' });
    expect(sut(svcB, '2024-04-01T00:00:00Z').requirements[0]).toMatchObject({
      level: 'enforced',
      source: { kind: 'phase', phase: 'p1' },
    });
  });

  it('counts only once recorded: asked as of before the approval, the phase date holds', () => {
    const result = sut(svcA, '2024-04-01T00:00:00Z', '2024-02-01T00:00:00Z');
    expect(result.requirements[0]).toMatchObject({
      level: 'enforced',
      source: { kind: 'phase', phase: 'p1' },
    });
  });

  it('moves the live transition to its date, and the rules document says when', () => {
    const transitions = liveTransitions({
      policies: [policy],
      service: svcA,
      from: ms('2024-02-01T00:00:00Z'),
      to: ms('2024-07-01T00:00:00Z'),
    });
    expect(transitions.map(({ at, from, to }) => ({ at, from, to }))).toEqual([
      { at: '2024-05-01T00:00:00.000Z', from: 'expected', to: 'enforced' },
    ]);
    const rules = computeRules({ policies: [policy], service: svcA, now: ms('2024-04-01T00:00:00Z') });
    expect(rules.nextChangeAt).toBe('2024-05-01T00:00:00.000Z');
  });

  it('takes the last recorded postponement of a phase', () => {
    const later = {
      ...postponement,
      id: 'pp-2',
      until: '2024-03-15T00:00:00.000Z',
      recordedAt: '2024-02-20T00:00:00Z',
    };
    const compiled = compilePostponements([later, postponement]);
    expect(
      postponementAt(compiled, 'mfa', 'p1', ms('2024-03-10T00:00:00Z'), ms('2024-04-01T00:00:00Z'))?.id,
    ).toBe('pp-2');
    expect(
      postponementAt(compiled, 'mfa', 'p1', ms('2024-03-20T00:00:00Z'), ms('2024-04-01T00:00:00Z')),
    ).toBeNull();
    expect(
      postponementAt(compiled, 'mfa', 'p1', ms('2024-02-15T00:00:00Z'), ms('2024-04-01T00:00:00Z'))?.id,
    ).toBe('pp-1');
    expect(
      postponementAt(compiled, 'mfa', 'p2', ms('2024-03-10T00:00:00Z'), ms('2024-04-01T00:00:00Z')),
    ).toBeNull();
  });
});
