import { aPlan, aPolicyWith, aRevision, aService, ms } from '@stepwise/domain/testing/factories';
import { computeRules } from '@stepwise/domain/rules-document';
import { aPhase } from '@stepwise/domain/testing/factories';
import { planDesiredState, StoredRulesState } from './desired-state.compute';

const MARCH = '2024-03-01T00:00:00.000Z';
const APRIL = '2024-04-01T00:00:00.000Z';
const policies = [
  aPolicyWith([
    aRevision(
      1,
      '2024-01-01T00:00:00.000Z',
      aPlan({
        phases: [
          aPhase({ key: 'a', effective: { at: MARCH }, scope: { services: ['svc-a'] } }),
          aPhase({ key: 'b', effective: { at: APRIL }, scope: { services: ['svc-b'] } }),
        ],
      }),
    ),
  ]),
];
const services = [aService({ id: 'svc-a' }), aService({ id: 'svc-b' }), aService({ id: 'svc-c' })];
const now = ms('2024-02-10T00:00:00Z');

describe(planDesiredState.name, () => {
  it('writes every service that has no stored rules yet, and lists the future instants once each, in order', () => {
    const sut = planDesiredState({ policies, services }, new Map(), now);
    expect(sut.changed.map((row) => row.serviceId)).toEqual(['svc-a', 'svc-b', 'svc-c']);
    const expected = computeRules({ policies, service: services[0], now });
    expect(sut.changed[0]).toEqual({
      serviceId: 'svc-a',
      hash: expected.hash,
      rulesJson: JSON.stringify(expected.rules),
      nextChangeAt: MARCH,
    });
    expect(sut.upcoming).toEqual([ms(MARCH), ms(APRIL)]);
    expect(sut.overdue).toEqual([]);
  });

  it('leaves a service whose stored hash is the one computed', () => {
    const first = planDesiredState({ policies, services }, new Map(), now);
    const stored = new Map<string, StoredRulesState>(
      first.changed.map((row) => [row.serviceId, { hash: row.hash, nextChangeAt: null, computedAt: now }]),
    );
    expect(planDesiredState({ policies, services }, stored, now + 1000).changed).toEqual([]);
  });

  it('reports a stored next change that has passed as overdue, with its lateness', () => {
    const at = ms(MARCH) + 2500;
    const stored = new Map<string, StoredRulesState>([
      ['svc-a', { hash: 'sha256:old', nextChangeAt: ms(MARCH), computedAt: now }],
      ['svc-b', { hash: 'sha256:old', nextChangeAt: ms(APRIL), computedAt: now }],
    ]);
    const sut = planDesiredState({ policies, services }, stored, at);
    expect(sut.overdue).toEqual([{ serviceId: 'svc-a', nextChangeAt: ms(MARCH), latenessMs: 2500 }]);
    expect(sut.upcoming).toEqual([ms(APRIL)]);
  });

  it('computes only the services whose stored next change has come, when asked to', () => {
    const first = planDesiredState({ policies, services }, new Map(), now);
    const stored = new Map<string, StoredRulesState>(
      first.changed.map((row) => [
        row.serviceId,
        {
          hash: row.hash,
          nextChangeAt: row.nextChangeAt === null ? null : ms(row.nextChangeAt),
          computedAt: now,
        },
      ]),
    );
    const sut = planDesiredState({ policies, services }, stored, ms(MARCH) + 1, { dueOnly: true });
    expect(sut.changed.map((row) => row.serviceId)).toEqual(['svc-a']);
    expect(sut.overdue.map((row) => row.serviceId)).toEqual(['svc-a']);
    expect(sut.upcoming).toEqual([]);
  });

  it('tells apart the instants no service had stored as its next change (not scheduled yet)', () => {
    const stored = new Map<string, StoredRulesState>([
      ['svc-b', { hash: 'sha256:old', nextChangeAt: ms(APRIL), computedAt: now }],
    ]);
    const sut = planDesiredState({ policies, services }, stored, now);
    expect(sut.upcoming).toEqual([ms(MARCH), ms(APRIL)]);
    expect(sut.newlyUpcoming).toEqual([ms(MARCH)]);
  });

  describe('a change no stored instant announced (recorded while no worker ran)', () => {
    // Revision 2, published on 2024-02-25, moves svc-c: the stored documents predate it.
    const takeover = ms('2024-02-25T00:00:00Z');
    const later = [
      aPolicyWith([
        policies[0].revisions[0],
        aRevision(
          2,
          '2024-02-25T00:00:00.000Z',
          aPlan({ phases: [aPhase({ key: 'c', effective: { at: MARCH }, scope: { services: ['svc-c'] } })] }),
          '2024-02-25T00:00:00.000Z',
        ),
      ]),
    ];
    const storedAt = (computedAt: number) => {
      const first = planDesiredState({ policies, services }, new Map(), computedAt);
      return new Map<string, StoredRulesState>(
        first.changed.map((row) => [row.serviceId, { hash: row.hash, nextChangeAt: null, computedAt }]),
      );
    };

    it('is reported overdue from the instant the live requirements changed', () => {
      const at = takeover + 60_000;
      const sut = planDesiredState({ policies: later, services }, storedAt(now), at, { lateAfterMs: 1000 });
      expect(sut.changed.map((row) => row.serviceId)).toEqual(['svc-a', 'svc-b', 'svc-c']);
      expect(sut.overdue).toEqual(
        ['svc-a', 'svc-b', 'svc-c'].map((serviceId) => ({
          serviceId,
          nextChangeAt: takeover,
          latenessMs: 60_000,
        })),
      );
    });

    it('is not reported when the refresh comes within lateAfterMs of it', () => {
      const sut = planDesiredState({ policies: later, services }, storedAt(now), takeover + 999, {
        lateAfterMs: 1000,
      });
      expect(sut.changed).toHaveLength(3);
      expect(sut.overdue).toEqual([]);
    });
  });
});
