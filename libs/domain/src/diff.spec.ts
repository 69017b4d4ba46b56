import { diffRevisionPlans } from './diff';
import { aPhase, aPlan } from './testing/factories';

describe(diffRevisionPlans.name, () => {
  const older = aPlan({
    mandatory: { since: '2024-02-28' },
    phases: [
      aPhase({ key: 'step-1', scope: { services: ['vpn', 'slack'] } }),
      aPhase({
        key: 'step-3',
        effective: { tentative: '2024-05' },
        scope: { selector: { mfaCapability: 'ready', tags: ['a', 'b'] } },
      }),
      aPhase({ key: 'old' }),
    ],
    standingRules: [{ on: 'mfa-ready', enforcement: 'enforce' }],
  });

  it('reports nothing changed for equal plans', () => {
    const sut = diffRevisionPlans(older, older);
    expect(sut.statement).toEqual({ status: 'unchanged' });
    expect(sut.phases.map((phase) => phase.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(sut.standingRules).toEqual([{ on: 'mfa-ready', status: 'unchanged' }]);
  });

  it('lists the dotted fields that changed, with old and new values', () => {
    const newer = aPlan({
      ...older,
      phases: [
        aPhase({ key: 'step-1', scope: { services: ['slack', 'vpn'] } }),
        aPhase({
          key: 'step-3',
          effective: { at: '2024-05-07' },
          scope: { selector: { mfaCapability: 'ready', tags: ['b', 'a'] }, except: ['utas'] },
          state: 'suspended',
          stateReason: 'not now',
        }),
        aPhase({ key: 'new' }),
      ],
    });
    const sut = diffRevisionPlans(older, newer);
    expect(sut.phases).toEqual([
      { key: 'step-1', status: 'unchanged' },
      {
        key: 'step-3',
        status: 'changed',
        changes: [
          { field: 'effective.at', old: null, new: '2024-05-07' },
          { field: 'effective.tentative', old: '2024-05', new: null },
          { field: 'scope.except', old: null, new: ['utas'] },
          { field: 'state', old: 'active', new: 'suspended' },
          { field: 'stateReason', old: null, new: 'not now' },
        ],
      },
      { key: 'new', status: 'added' },
      { key: 'old', status: 'removed' },
    ]);
  });

  it('compares the statement and standing rules (by on), with enforcement defaulting to enforce', () => {
    const newer = aPlan({
      ...older,
      mandatory: { since: '2024-03-01' },
      standingRules: [{ on: 'mfa-ready' }, { on: 'service-introduced', since: '2024-02-28' }],
    });
    const sut = diffRevisionPlans(older, newer);
    expect(sut.statement).toEqual({
      status: 'changed',
      changes: [{ field: 'since', old: '2024-02-28', new: '2024-03-01' }],
    });
    expect(sut.standingRules).toEqual([
      { on: 'mfa-ready', status: 'unchanged' },
      { on: 'service-introduced', status: 'added' },
    ]);
    expect(diffRevisionPlans(older, { ...older, mandatory: undefined }).statement).toEqual({
      status: 'removed',
    });
    const ruleChange = diffRevisionPlans(older, {
      ...older,
      standingRules: [{ on: 'mfa-ready', since: '2024-01-01', enforcement: 'report-only' }],
    });
    expect(ruleChange.standingRules[0].changes).toEqual([
      { field: 'since', old: null, new: '2024-01-01' },
      { field: 'enforcement', old: 'enforce', new: 'report-only' },
    ]);
  });

  it('treats a first revision as all added', () => {
    const sut = diffRevisionPlans(null, older);
    expect(sut.statement.status).toBe('added');
    expect(sut.phases.every((phase) => phase.status === 'added')).toBe(true);
  });
});
