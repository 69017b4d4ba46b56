import { compilePolicy } from './compiled-plan';
import { diffRevisionPlans } from './diff';
import { compileService } from './compiled-service';
import type { Phase, ServiceFacts } from './plan.types';
import { checkPostponement } from './postponement-check';
import { validateRevisionPlan } from './revision-validation';
import { aPhase, aPlan, aPolicyWith, aRevision, aService, ms } from './testing/factories';
import { errorsOf, validationContext, withPhase } from './testing/plan-inputs';

const NOW = ms('2024-02-01T00:00:00Z');

function sut(
  phase: Partial<Phase>,
  until: string,
  options: { service?: ServiceFacts; now?: number; key?: string } = {},
) {
  const policy = aPolicyWith([
    aRevision(
      1,
      '2024-01-01T00:00:00.000Z',
      aPlan({ phases: [aPhase({ postponeUntilMax: '2024-06-01', ...phase })] }),
    ),
  ]);
  return checkPostponement({
    policy: compilePolicy(policy),
    service: compileService(options.service ?? aService()),
    phase: options.key ?? 'p1',
    until: ms(until),
    now: options.now ?? NOW,
  });
}

describe(checkPostponement.name, () => {
  it('grants a date after the phase and within its cap', () => {
    expect(sut({}, '2024-06-01T00:00:00Z')).toEqual({
      ok: true,
      revision: 1,
      phaseAt: ms('2024-03-01T00:00:00Z'),
      cap: ms('2024-06-01T00:00:00Z'),
    });
  });

  it("names the cap in the policy's zone, as the planner wrote it", () => {
    const refused = sut({}, '2024-06-01T00:00:01Z');
    expect(refused).toMatchObject({ ok: false, field: 'until' });
    expect(refused.ok === false && refused.message).toMatch(/^is beyond the phase's cap \S+ \(\S+\)$/);
    expect(refused.ok === false && refused.message).not.toContain('.000Z');
  });

  it.each([
    ['beyond the cap', {}, '2024-06-01T00:00:01Z', {}, 'invalid', 'until'],
    ['not after the phase', {}, '2024-03-01T00:00:00Z', {}, 'invalid', 'until'],
    [
      'on a phase without a cap',
      { postponeUntilMax: undefined },
      '2024-04-01T00:00:00Z',
      {},
      'invalid',
      'phase',
    ],
    ['on an unknown phase', {}, '2024-04-01T00:00:00Z', { key: 'p9' }, 'invalid', 'phase'],
    [
      'on a suspended phase',
      { state: 'suspended' as const },
      '2024-04-01T00:00:00Z',
      {},
      'conflict',
      'phase',
    ],
    [
      'on a phase that excludes the service',
      { scope: { services: ['svc-b'] } },
      '2024-04-01T00:00:00Z',
      {},
      'conflict',
      'phase',
    ],
    [
      'after the phase took effect',
      {},
      '2024-04-01T00:00:00Z',
      { now: ms('2024-03-01T00:00:00Z') },
      'conflict',
      'phase',
    ],
  ])('refuses %s', (_what, phase, until, options, kind, field) => {
    expect(sut(phase, until, options)).toMatchObject({ ok: false, kind, field });
  });

  it('lets an owner ask again while an earlier postponement still holds the phase back', () => {
    const service = aService({
      postponements: [
        {
          id: 'pp-1',
          policy: 'mfa',
          phase: 'p1',
          until: '2024-04-01T00:00:00Z',
          recordedAt: '2024-02-01T00:00:00Z',
        },
      ],
    });
    const now = ms('2024-03-15T00:00:00Z');
    expect(sut({}, '2024-05-01T00:00:00Z', { service, now })).toMatchObject({ ok: true });
    expect(sut({}, '2024-05-01T00:00:00Z', { service, now: ms('2024-04-01T00:00:00Z') })).toMatchObject({
      ok: false,
      kind: 'conflict',
    });
  });
});

describe(validateRevisionPlan.name + ' (postponeUntilMax)', () => {
  it('accepts a cap after a confirmed date', () => {
    expect(errorsOf(withPhase({ postponeUntilMax: '2024-04-01' }))).toEqual([]);
  });

  it.each([
    [{ postponeUntilMax: '2024-02-01' }, 'must be after effective.at (2024-02-01)'],
    [{ postponeUntilMax: 'soon' }, expect.stringContaining('') as unknown],
    [
      { effective: { tentative: '2024-05' }, postponeUntilMax: '2024-07-01' },
      'is only allowed on a confirmed phase (effective.at)',
    ],
  ])('refuses %j', (overrides, message) => {
    expect(errorsOf(withPhase(overrides), validationContext)).toEqual([
      { field: 'phases[0].postponeUntilMax', message },
    ]);
  });
});

describe(`${diffRevisionPlans.name} (postponeUntilMax)`, () => {
  it('reports a new or moved cap as a change of the phase, after its state', () => {
    const older = aPlan({ phases: [aPhase({ key: 'step-4' })] });
    const newer = aPlan({
      phases: [
        aPhase({ key: 'step-4', state: 'suspended', stateReason: 'x', postponeUntilMax: '2024-06-01' }),
      ],
    });
    expect(diffRevisionPlans(older, newer).phases).toEqual([
      {
        key: 'step-4',
        status: 'changed',
        changes: [
          { field: 'state', old: 'active', new: 'suspended' },
          { field: 'stateReason', old: null, new: 'x' },
          { field: 'postponeUntilMax', old: null, new: '2024-06-01' },
        ],
      },
    ]);
  });
});
