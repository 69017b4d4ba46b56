import { compilePolicies } from './compiled-plan';
import { dueEvaluationAt, dueGateEvaluations } from './gate-schedule';
import { aPhase, aPlan, aPolicy, aPolicyWith, aRevision, ms } from './testing/factories';

describe(dueEvaluationAt.name, () => {
  const phaseAt = ms('2024-05-01T00:00:00Z');

  it('is the phase instant on its day, then the daily time in the zone', () => {
    expect(dueEvaluationAt(phaseAt, '09:00', 'Asia/Tokyo', ms('2024-04-30T00:00:00Z'))).toBeNull();
    expect(dueEvaluationAt(phaseAt, '09:00', 'Asia/Tokyo', ms('2024-05-01T00:00:01Z'))).toBe(phaseAt);
    // 09:00 in Tokyo is 00:00Z: on 2024-05-02 00:30Z the latest due is 2024-05-02T00:00Z.
    expect(dueEvaluationAt(phaseAt, '09:00', 'Asia/Tokyo', ms('2024-05-02T00:30:00Z'))).toBe(
      ms('2024-05-02T00:00:00Z'),
    );
    expect(dueEvaluationAt(phaseAt, '09:00', 'Asia/Tokyo', ms('2024-05-01T23:59:00Z'))).toBe(phaseAt);
  });
});

describe(dueGateEvaluations.name, () => {
  const gate = { population: 'students', metric: 'registered' as const, atLeast: 0.95 };
  const plan = (evaluations: { evaluatedAt: string; outcome: 'pass' | 'fail' }[]) =>
    compilePolicies([
      {
        ...aPolicyWith([
          aRevision(1, '2024-01-01T00:00:00Z', aPlan({ phases: [aPhase({ key: 'step-3', gates: [gate] })] })),
        ]),
        policy: aPolicy({ timezone: 'UTC' }),
        gating: {
          evaluations: evaluations.map((e) => ({
            ...e,
            phase: 'step-3',
            recordedAt: e.evaluatedAt,
            checks: [],
          })),
          overrides: [],
        },
      },
    ]);

  it('is due at the phase instant, then daily until one passes', () => {
    const now = ms('2024-03-01T06:00:00Z');
    expect(dueGateEvaluations(plan([]), '09:00', now)).toEqual([
      expect.objectContaining({ phase: 'step-3', at: ms('2024-03-01T00:00:00Z') }),
    ]);
    const failed = [{ evaluatedAt: '2024-03-01T00:00:00.000Z', outcome: 'fail' as const }];
    expect(dueGateEvaluations(plan(failed), '09:00', now)).toEqual([]);
    expect(dueGateEvaluations(plan(failed), '09:00', ms('2024-03-01T09:30:00Z'))[0].at).toBe(
      ms('2024-03-01T09:00:00Z'),
    );
    const passed = [{ evaluatedAt: '2024-03-01T00:00:00.000Z', outcome: 'pass' as const }];
    expect(dueGateEvaluations(plan(passed), '09:00', ms('2024-03-05T09:30:00Z'))).toEqual([]);
  });
});
