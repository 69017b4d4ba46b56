import { validateRevisionPlan } from './revision-validation';
import { aPhaseInput, aPlanInput, fieldsOf, validationContext } from './testing/plan-inputs';

describe(validateRevisionPlan.name, () => {
  it('returns the plan with defaults filled', () => {
    const sut = validateRevisionPlan(
      aPlanInput({
        standingRules: [
          { on: 'mfa-ready' },
          { on: 'service-introduced', since: '2024-02-28', enforcement: 'report-only' },
        ],
      }),
      validationContext,
    );
    expect(sut).toEqual({
      ok: true,
      plan: {
        phases: [{ ...aPhaseInput(), state: 'active' }],
        standingRules: [
          { on: 'mfa-ready', enforcement: 'enforce' },
          { on: 'service-introduced', since: '2024-02-28', enforcement: 'report-only' },
        ],
      },
    });
  });

  it('accepts an empty plan and defaults standingRules to none', () => {
    expect(validateRevisionPlan({ phases: [] }, validationContext)).toEqual({
      ok: true,
      plan: { phases: [], standingRules: [] },
    });
  });

  it('keeps dates as written and the statement', () => {
    const sut = validateRevisionPlan(aPlanInput({ mandatory: { since: '2024-02-28' } }), validationContext);
    expect(sut.ok && sut.plan.mandatory).toEqual({ since: '2024-02-28' });
  });

  it('treats a null statement as absent', () => {
    const sut = validateRevisionPlan(aPlanInput({ mandatory: null }), validationContext);
    expect(sut.ok && sut.plan.mandatory).toBeUndefined();
  });

  it.each([
    ['(root)', 'not a plan'],
    ['(root)', [aPhaseInput()]],
    ['phases', {}],
    ['phases', { phases: 'step-1' }],
    ['summary', aPlanInput({ summary: 'not a plan field' })],
    ['standingRules', aPlanInput({ standingRules: { on: 'mfa-ready' } })],
    ['standingRules[0]', aPlanInput({ standingRules: ['mfa-ready'] })],
    ['standingRules[0].on', aPlanInput({ standingRules: [{ on: 'mfa-enabled' }] })],
    ['standingRules[0].on', aPlanInput({ standingRules: [{}] })],
    ['standingRules[1].on', aPlanInput({ standingRules: [{ on: 'mfa-ready' }, { on: 'mfa-ready' }] })],
    ['standingRules[0].since', aPlanInput({ standingRules: [{ on: 'mfa-ready', since: '2024-02-30' }] })],
    [
      'standingRules[0].since',
      aPlanInput({ standingRules: [{ on: 'mfa-ready', since: '2024-02-28T00:00' }] }),
    ],
    [
      'standingRules[0].enforcement',
      aPlanInput({ standingRules: [{ on: 'mfa-ready', enforcement: 'block' }] }),
    ],
    [
      'standingRules[0].baseline',
      aPlanInput({ standingRules: [{ on: 'mfa-ready', baseline: '2024-02-28' }] }),
    ],
    ['mandatory', aPlanInput({ mandatory: '2024-02-28' })],
    ['mandatory.since', aPlanInput({ mandatory: {} })],
    ['mandatory.since', aPlanInput({ mandatory: { since: '2024-02-30' } })],
    ['mandatory.since', aPlanInput({ mandatory: { since: '2024-02-28T00:00:00Z' } })],
    ['mandatory.until', aPlanInput({ mandatory: { since: '2024-02-28', until: '2025-01-01' } })],
  ])('reports %s', (field, input) => {
    expect(fieldsOf(input)).toEqual([field]);
  });

  it('reports every error of the plan at once, each by its path', () => {
    const input = {
      phases: [aPhaseInput({ title: '' }), aPhaseInput({ key: 'step-2', effective: { at: '2024-02-30' } })],
      standingRules: [{ on: 'never' }],
      mandatory: { since: 'soon' },
      extra: true,
    };
    expect(fieldsOf(input).sort()).toEqual(
      ['extra', 'mandatory.since', 'phases[0].title', 'phases[1].effective.at', 'standingRules[0].on'].sort(),
    );
  });

  it('allows root fields the caller validates itself and prefixes paths', () => {
    const ctx = { ...validationContext, path: 'revisions[1]', otherRootFields: ['summary'] };
    expect(fieldsOf(aPlanInput({ summary: 'kept', reason: 'unknown', phases: 'x' }), ctx).sort()).toEqual([
      'revisions[1].phases',
      'revisions[1].reason',
    ]);
  });
});
