import type { PublishedRevision } from './plan.types';
import { resolveRequirements } from './resolve';
import { aFact, aPhase, aPlan, aPolicy, aPolicyWith, aRevision, aService, ms } from './testing/factories';

const JAN = '2024-01-01T00:00:00.000Z';

function upcoming(revisions: PublishedRevision[], at: string, asOf: string, service = aService()) {
  const policies = [aPolicyWith(revisions, aPolicy({ populations: ['all'], timezone: 'Asia/Tokyo' }))];
  return resolveRequirements({ policies, service, at: ms(at), asOf: ms(asOf) }).upcoming;
}

describe('upcoming (resolveRequirements)', () => {
  const plan = aPlan({
    mandatory: { since: '2024-02-01' },
    phases: [
      aPhase({ key: 'soon', effective: { at: '2024-03-01' } }),
      aPhase({ key: 'maybe', effective: { tentative: '2024-06' }, scope: { services: ['svc-b'] } }),
    ],
  });

  it('lists confirmed level changes after at, in order, with their source', () => {
    expect(upcoming([aRevision(1, JAN, plan)], '2024-01-15T00:00:00Z', '2024-01-15T00:00:00Z')).toEqual([
      {
        policy: 'mfa',
        revision: 1,
        population: 'all',
        level: 'expected',
        at: '2024-01-31T15:00:00.000Z',
        tentative: null,
      },
      {
        policy: 'mfa',
        revision: 1,
        population: 'all',
        level: 'enforced',
        at: '2024-02-29T15:00:00.000Z',
        tentative: null,
        phase: 'soon',
      },
    ]);
  });

  it('lists nothing once everything has happened', () => {
    expect(upcoming([aRevision(1, JAN, plan)], '2024-04-01T00:00:00Z', '2024-04-01T00:00:00Z')).toEqual([]);
  });

  it('lists a tentative active phase that would raise the level, without an instant', () => {
    const service = aService({ id: 'svc-b' });
    expect(
      upcoming([aRevision(1, JAN, plan)], '2024-04-01T00:00:00Z', '2024-04-01T00:00:00Z', service),
    ).toEqual([
      {
        policy: 'mfa',
        revision: 1,
        population: 'all',
        level: 'enforced',
        at: null,
        tentative: '2024-06',
        phase: 'maybe',
      },
    ]);
  });

  it('omits tentative phases that are suspended, do not cover the service, or would not raise the level', () => {
    const suspended = aPlan({
      phases: [aPhase({ effective: { tentative: '2024-06' }, state: 'suspended', stateReason: 'not now' })],
    });
    expect(upcoming([aRevision(1, JAN, suspended)], '2024-04-01T00:00:00Z', '2024-04-01T00:00:00Z')).toEqual(
      [],
    );
    const reportOnly = aPlan({
      phases: [
        aPhase({ key: 'done' }),
        aPhase({ key: 'later', effective: { tentative: '2024-06' }, enforcement: 'report-only' }),
      ],
    });
    expect(upcoming([aRevision(1, JAN, reportOnly)], '2024-04-01T00:00:00Z', '2024-04-01T00:00:00Z')).toEqual(
      [],
    );
  });

  it('includes a scheduled revision known at asOf taking over, and uses its tentative phases', () => {
    const scheduled = aRevision(2, '2024-05-01T00:00:00.000Z', aPlan(), '2024-04-01T00:00:00.000Z');
    const result = upcoming(
      [aRevision(1, JAN, plan), scheduled],
      '2024-04-10T00:00:00Z',
      '2024-04-10T00:00:00Z',
      aService({ id: 'svc-b' }),
    );
    expect(result).toEqual([
      {
        policy: 'mfa',
        revision: 2,
        population: 'all',
        level: 'none',
        at: '2024-05-01T00:00:00.000Z',
        tentative: null,
      },
    ]);
  });

  it('ignores a revision recorded after asOf', () => {
    const unknown = aRevision(2, '2024-05-01T00:00:00.000Z', aPlan(), '2024-04-20T00:00:00.000Z');
    expect(
      upcoming([aRevision(1, JAN, plan), unknown], '2024-04-10T00:00:00Z', '2024-04-10T00:00:00Z'),
    ).toEqual([]);
  });

  it('includes readiness recorded by asOf that takes effect later, via a standing rule', () => {
    const rules = aPlan({
      standingRules: [{ on: 'mfa-ready', since: '2024-01-01', enforcement: 'enforce' }],
    });
    const service = aService({
      capabilityChanges: [aFact('ready', '2024-06-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z')],
    });
    expect(
      upcoming([aRevision(1, JAN, rules)], '2024-04-01T00:00:00Z', '2024-04-01T00:00:00Z', service),
    ).toEqual([
      {
        policy: 'mfa',
        revision: 1,
        population: 'all',
        level: 'enforced',
        at: '2024-06-01T00:00:00.000Z',
        tentative: null,
        rule: 'mfa-ready',
      },
    ]);
  });
});
