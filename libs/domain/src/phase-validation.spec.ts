import { validateRevisionPlan } from './revision-validation';
import {
  aPhaseInput,
  aPlanInput,
  errorsOf,
  fieldsOf,
  validationContext,
  withPhase,
} from './testing/plan-inputs';

describe(validateRevisionPlan.name + ' (phases)', () => {
  it.each([
    ['phases[0]', aPlanInput({ phases: ['step-1'] })],
    ['phases[0].key', withPhase({ key: undefined })],
    ['phases[0].key', withPhase({ key: 3 })],
    ['phases[0].key', withPhase({ key: 'Step 1' })],
    ['phases[0].key', withPhase({ key: '-step' })],
    ['phases[0].title', withPhase({ title: '' })],
    ['phases[0].title', withPhase({ title: undefined })],
    ['phases[0].effective', withPhase({ effective: undefined })],
    ['phases[0].effective', withPhase({ effective: '2024-02-01' })],
    ['phases[0].effective', withPhase({ effective: {} })],
    ['phases[0].effective', withPhase({ effective: { at: '2024-02-01', tentative: '2024-05' } })],
    ['phases[0].effective.when', withPhase({ effective: { at: '2024-02-01', when: 'soon' } })],
    ['phases[0].effective.at', withPhase({ effective: { at: '2024-02-30' } })],
    ['phases[0].effective.at', withPhase({ effective: { at: '2024-02-01T09:00:00' } })],
    ['phases[0].effective.at', withPhase({ effective: { at: 'February 2024' } })],
    ['phases[0].effective.at', withPhase({ effective: { at: 20240201 } })],
    ['phases[0].effective.tentative', withPhase({ effective: { tentative: '2024-13' } })],
    ['phases[0].effective.tentative', withPhase({ effective: { tentative: 'around May' } })],
    ['phases[0].effective.tentative', withPhase({ effective: { tentative: '2024-06-31' } })],
    ['phases[0].enforcement', withPhase({ enforcement: undefined })],
    ['phases[0].enforcement', withPhase({ enforcement: 'block' })],
    ['phases[0].state', withPhase({ state: 'paused' })],
    ['phases[0].stateReason', withPhase({ state: 'suspended' })],
    ['phases[0].stateReason', withPhase({ state: 'cancelled', stateReason: '  ' })],
    ['phases[0].stateReason', withPhase({ stateReason: 42 })],
    ['phases[0].owner', withPhase({ owner: 'cio' })],
  ])('reports %s', (field, input) => {
    const errors = errorsOf(input);
    expect(errors).toEqual([{ field, message: expect.any(String) }]);
  });

  it('refuses a duplicate key on the later phase, naming the first', () => {
    const sut = errorsOf(aPlanInput({ phases: [aPhaseInput(), aPhaseInput({ title: 'again' })] }));
    expect(sut).toEqual([{ field: 'phases[1].key', message: expect.stringContaining('phases[0].key') }]);
  });

  it('reports a duplicate key even when that phase has other errors', () => {
    expect(fieldsOf(aPlanInput({ phases: [aPhaseInput(), aPhaseInput({ title: '' })] })).sort()).toEqual([
      'phases[1].key',
      'phases[1].title',
    ]);
  });

  it.each([
    [{ at: '2024-02-01T09:00:00+09:00' }],
    [{ at: '2024-02-01T00:00:00Z' }],
    [{ tentative: '2024-05' }],
    [{ tentative: '2024-05-15' }],
  ])('accepts effective %p', (effective) => {
    expect(errorsOf(withPhase({ effective }))).toEqual([]);
  });

  it('accepts suspended and cancelled phases with a reason and keeps the reason', () => {
    const sut = validateRevisionPlan(
      withPhase({ state: 'suspended', stateReason: 'not at this time' }),
      validationContext,
    );
    expect(sut.ok && sut.plan.phases[0]).toMatchObject({
      state: 'suspended',
      stateReason: 'not at this time',
    });
    expect(errorsOf(withPhase({ state: 'cancelled', stateReason: 'dropped' }))).toEqual([]);
  });
});
