import {
  aPhase,
  aPlan,
  aPolicy,
  aPolicyWith,
  aRevision,
  aService,
  ms,
} from '@stepwise/domain/testing/factories';
import { planDesiredState, type StoredRulesState } from './desired-state.compute';

// The worker's schedule follows an approved postponement: the postponed service's rules change at
// the postponed date (and, as a source change only, at the phase's own date), the others' at the
// phase's date, each delivered as any transition is.
const MARCH = '2024-03-01T00:00:00.000Z';
const MAY = '2024-05-01T00:00:00.000Z';
const policies = [
  aPolicyWith(
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
  ),
];
const services = [
  aService({
    id: 'svc-a',
    postponements: [{ id: '7', policy: 'mfa', phase: 'p1', until: MAY, recordedAt: '2024-02-10T00:00:00Z' }],
  }),
  aService({ id: 'svc-b' }),
];
const stored = (plan: ReturnType<typeof planDesiredState>, at: number) =>
  new Map<string, StoredRulesState>(
    plan.changed.map((row) => [
      row.serviceId,
      {
        hash: row.hash,
        nextChangeAt: row.nextChangeAt === null ? null : ms(row.nextChangeAt),
        computedAt: at,
      },
    ]),
  );
const levelOf = (row: { rulesJson: string }) => (JSON.parse(row.rulesJson) as { level: string }[])[0].level;

describe(`${planDesiredState.name} with a postponement`, () => {
  it('keeps the postponed service at its level past the phase date, and changes it at the postponed date', () => {
    const before = ms('2024-02-20T00:00:00Z');
    const first = planDesiredState({ policies, services }, new Map(), before);
    // Each service's next change only: both change (svc-a's source only) at the phase's date.
    expect(first.upcoming).toEqual([ms(MARCH)]);

    const atPhase = planDesiredState({ policies, services }, stored(first, before), ms(MARCH));
    const byService = new Map(atPhase.changed.map((row) => [row.serviceId, row]));
    expect(levelOf(byService.get('svc-b')!)).toBe('enforced');
    expect(levelOf(byService.get('svc-a')!)).toBe('expected');
    expect(JSON.parse(byService.get('svc-a')!.rulesJson)[0].source).toEqual({
      kind: 'postponement',
      postponement: '7',
      phase: 'p1',
      until: MAY,
    });
    expect(byService.get('svc-a')!.nextChangeAt).toBe(MAY);
    expect(atPhase.upcoming).toEqual([ms(MAY)]);

    const atMay = planDesiredState({ policies, services }, stored(atPhase, ms(MARCH)), ms(MAY));
    expect(atMay.changed.map((row) => [row.serviceId, levelOf(row)])).toEqual([['svc-a', 'enforced']]);
  });
});
