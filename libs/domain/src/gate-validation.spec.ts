import { validateRevisionPlan } from './revision-validation';
import { errorsOf, validationContext, withPhase } from './testing/plan-inputs';

const gate = { population: 'students', metric: 'registered', atLeast: 0.95 };

describe(validateRevisionPlan.name + ' (gates)', () => {
  it.each([
    ['phases[0].gates[0].population', withPhase({ gates: [{ ...gate, population: 'alumni' }] })],
    ['phases[0].gates[0].atLeast', withPhase({ gates: [{ ...gate, atLeast: 95 }] })],
    ['phases[0].gates[0].atLeast', withPhase({ gates: [{ ...gate, atLeast: -0.1 }] })],
    ['phases[0].gates[0].atLeast', withPhase({ gates: [{ ...gate, atLeast: '0.9' }] })],
    ['phases[0].gates[0].metric', withPhase({ gates: [{ ...gate, metric: 'enrolled' }] })],
    ['phases[0].gates[0].forDays', withPhase({ gates: [{ ...gate, forDays: 1.5 }] })],
    ['phases[0].gates[0].maxDataAge', withPhase({ gates: [{ ...gate, maxDataAge: 'two days' }] })],
    ['phases[0].gates[0].owner', withPhase({ gates: [{ ...gate, owner: 'x' }] })],
    ['phases[0].gates', withPhase({ gates: [] })],
    ['phases[0].gates', withPhase({ gates: [gate], effective: { tentative: '2024-05' } })],
    ['phases[0].gates', withPhase({ gates: [gate], state: 'suspended', stateReason: 'later' })],
  ])('reports %s', (field, input) => {
    expect(errorsOf(input)).toEqual([{ field, message: expect.any(String) }]);
  });

  it('keeps valid gates on a confirmed active phase', () => {
    const full = { ...gate, forDays: 3, maxDataAge: '48h' };
    const sut = validateRevisionPlan(
      withPhase({ gates: [full, { ...gate, metric: 'covered' }] }),
      validationContext,
    );
    expect(sut.ok && sut.plan.phases[0].gates).toEqual([full, { ...gate, metric: 'covered' }]);
  });
});
