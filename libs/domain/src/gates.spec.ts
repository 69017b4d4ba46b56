import { type AdoptionSnapshot, type Gate, evaluateGates } from './adoption';
import type { GateEvaluationFact, GateOverrideFact } from './gates';
import { resolveRequirements } from './resolve';
import { aPhase, aPlan, aPolicy, aPolicyWith, aRevision, aService, ms } from './testing/factories';

const gate: Gate = { population: 'students', metric: 'registered', atLeast: 0.95 };
const STEP_AT = '2024-05-01T00:00:00.000Z';
const NEXT_DAY = '2024-05-02T00:00:00.000Z';

const students = (id: string, asOf: string, registered: number): AdoptionSnapshot => ({
  id,
  population: 'students',
  asOf: ms(asOf),
  recordedAt: ms(asOf),
  eligible: 1000,
  registered,
  covered: registered,
  exempt: 0,
});

/** What the worker stores: the gates evaluated at `at` from the snapshots known then, recorded a second later. */
function evaluation(at: string, snapshots: AdoptionSnapshot[]): GateEvaluationFact {
  const result = evaluateGates([gate], snapshots, ms(at));
  return {
    phase: 'step-3',
    evaluatedAt: at,
    recordedAt: new Date(ms(at) + 1000).toISOString(),
    outcome: result.outcome,
    checks: result.checks,
  };
}

function planWith(evaluations: GateEvaluationFact[], overrides: GateOverrideFact[] = []) {
  const step3 = aPhase({
    key: 'step-3',
    effective: { at: STEP_AT },
    scope: { services: ['svc-a'], populations: ['students'] },
    gates: [gate],
  });
  const policy = aPolicyWith(
    [aRevision(1, '2024-01-01T00:00:00.000Z', aPlan({ phases: [step3] }))],
    aPolicy({ populations: ['students'] }),
  );
  return { ...policy, gating: { evaluations, overrides } };
}

const resolveAt = (policy: ReturnType<typeof planWith>, at: string, asOf: string = at) =>
  resolveRequirements({ policies: [policy], service: aService(), at: ms(at), asOf: ms(asOf) });

describe('gates in resolution', () => {
  const at94 = students('s94', '2024-04-30T12:00:00Z', 940);
  const at96 = students('s96', '2024-05-01T12:00:00Z', 960);
  const held = evaluation(STEP_AT, [at94]);
  const passed = evaluation(NEXT_DAY, [at94, at96]);

  it('holds step 3 at 94 % and says which gate failed with its value', () => {
    const sut = resolveAt(planWith([held]), '2024-05-01T06:00:00.000Z');
    expect(sut.requirements[0]).toMatchObject({ level: 'none' });
    expect(sut.requirements[0].held).toEqual([
      expect.objectContaining({
        phase: 'step-3',
        phaseAt: STEP_AT,
        by: 'gate',
        outcome: 'fail',
        checks: [expect.objectContaining({ value: 0.94, atLeast: 0.95, snapshotIds: ['s94'] })],
      }),
    ]);
  });

  it('takes effect at the next evaluation that passes, and not before it was recorded', () => {
    const policy = planWith([held, passed]);
    expect(resolveAt(policy, '2024-05-02T06:00:00.000Z').requirements[0]).toMatchObject({
      level: 'enforced',
      since: NEXT_DAY,
      source: { kind: 'phase', phase: 'step-3' },
    });
    expect(resolveAt(policy, '2024-05-02T06:00:00.000Z').requirements[0].held).toBeUndefined();
    // On 2024-05-01, asked then: step 3 was not in force, and the answer says why.
    const then = resolveAt(policy, '2024-05-03T00:00:00.000Z', '2024-05-01T18:00:00.000Z');
    expect(then.requirements[0].level).toBe('none');
    expect(then.requirements[0].held?.[0].outcome).toBe('fail');
  });

  it('never takes effect on inconclusive (a 50-hour-old snapshot)', () => {
    const stale = evaluation('2024-05-03T14:00:00.000Z', [at96]);
    expect(stale.outcome).toBe('inconclusive');
    expect(resolveAt(planWith([held, stale]), '2024-05-04T00:00:00.000Z').requirements[0].level).toBe('none');
  });

  it('an approved release override puts a held phase in force for its window; a hold keeps a passing one held', () => {
    const release: GateOverrideFact = {
      phase: 'step-3',
      action: 'release',
      from: '2024-05-01T10:00:00.000Z',
      until: '2024-05-08T00:00:00.000Z',
      recordedAt: '2024-05-01T10:00:00.000Z',
    };
    const released = planWith([held], [release]);
    expect(resolveAt(released, '2024-05-01T11:00:00.000Z').requirements[0]).toMatchObject({
      level: 'enforced',
      since: '2024-05-01T10:00:00.000Z',
    });
    expect(resolveAt(released, '2024-05-09T00:00:00.000Z').requirements[0].level).toBe('none');
    const hold: GateOverrideFact = { ...release, action: 'hold' };
    const sut = resolveAt(
      planWith([evaluation(STEP_AT, [students('early96', '2024-04-30T12:00:00Z', 960)])], [hold]),
      '2024-05-01T11:00:00.000Z',
    );
    expect(sut.requirements[0].level).toBe('none');
    expect(sut.requirements[0].held?.[0].by).toBe('override');
  });

  it('lists a gated phase not yet released in upcoming, saying it waits and why', () => {
    const before = resolveAt(planWith([]), '2024-04-20T00:00:00.000Z');
    expect(before.upcoming).toEqual([
      expect.objectContaining({
        phase: 'step-3',
        level: 'enforced',
        at: STEP_AT,
        held: expect.objectContaining({ outcome: null, evaluatedAt: null }),
      }),
    ]);
    const after = resolveAt(planWith([held]), '2024-05-01T06:00:00.000Z');
    expect(after.upcoming[0].held?.outcome).toBe('fail');
    expect(resolveAt(planWith([held, passed]), '2024-05-03T00:00:00.000Z').upcoming).toEqual([]);
  });
});
