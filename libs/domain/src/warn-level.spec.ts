import { diffRevisionPlans } from './diff';
import { impactOfDraft } from './impact';
import { validatePolicyInput } from './policy-validation';
import { resolveRequirements } from './resolve';
import { computeRules } from './rules-document';
import { aPhase, aPlan, aPolicy, aPolicyWith, aRevision, aService, ms } from './testing/factories';
import { errorsOf, fieldsOf, withPhase } from './testing/plan-inputs';
import { liveTransitions } from './transitions';

// The `warn` level (issue 21): enforced > warn > report-only > expected > none, and the setup
// instructions a rules document carries where the user is shown something.

const SETUP = 'https://mfa.example.ac.jp/setup';
const PHASE_SETUP = 'https://mfa.example.ac.jp/vpn';
const APRIL = ms('2024-04-01T00:00:00Z');

const warnFromMarch = aPhase({ key: 'warn', enforcement: 'warn', effective: { at: '2024-03-01T00:00:00Z' } });
const enforceFromMay = aPhase({ key: 'block', effective: { at: '2024-05-01T00:00:00Z' } });
const policyWith = (phases = [warnFromMarch, enforceFromMay], instructionsUrl: string | null = SETUP) =>
  aPolicyWith(
    [aRevision(1, '2024-01-01T00:00:00.000Z', aPlan({ phases, mandatory: { since: '2024-01-15' } }))],
    aPolicy(instructionsUrl === null ? {} : { instructionsUrl }),
  );

describe('warn level', () => {
  it('resolves a warn phase to warn with the policy instructions, and upcoming lists warn then enforced', () => {
    const sut = resolveRequirements({
      policies: [policyWith()],
      service: aService(),
      at: ms('2024-02-01T00:00:00Z'),
      asOf: APRIL,
    });
    expect(sut.requirements[0]).toMatchObject({ level: 'expected', source: { kind: 'statement' } });
    expect(sut.requirements[0].instructionsUrl).toBeUndefined();
    expect(sut.upcoming.filter((entry) => entry.population === 'staff')).toEqual([
      expect.objectContaining({ level: 'warn', at: '2024-03-01T00:00:00.000Z', phase: 'warn' }),
      expect.objectContaining({ level: 'enforced', at: '2024-05-01T00:00:00.000Z', phase: 'block' }),
    ]);
    const inApril = resolveRequirements({
      policies: [policyWith()],
      service: aService(),
      at: APRIL,
      asOf: APRIL,
    });
    expect(inApril.requirements[0]).toEqual({
      policy: 'mfa',
      revision: 1,
      population: 'staff',
      level: 'warn',
      since: '2024-03-01T00:00:00.000Z',
      plannedSince: '2024-03-01T00:00:00.000Z',
      source: { kind: 'phase', phase: 'warn' },
      instructionsUrl: SETUP,
    });
  });

  it('ranks warn above report-only and below enforced', () => {
    const reportOnly = aPhase({ key: 'report', enforcement: 'report-only' });
    const warn = aPhase({ key: 'warn', enforcement: 'warn' });
    const enforce = aPhase({ key: 'block' });
    const levelOf = (phases: ReturnType<typeof aPhase>[]) =>
      resolveRequirements({ policies: [policyWith(phases)], service: aService(), at: APRIL, asOf: APRIL })
        .requirements[0].level;
    expect(levelOf([reportOnly, warn])).toBe('warn');
    expect(levelOf([warn, reportOnly])).toBe('warn');
    expect(levelOf([warn, enforce])).toBe('enforced');
    expect(levelOf([enforce, warn])).toBe('enforced');
  });

  it("puts the phase's own instructions in the rules document, and none without any", () => {
    const own = aPhase({ key: 'warn', enforcement: 'warn', instructionsUrl: PHASE_SETUP });
    const rules = (phases = [own], url: string | null = SETUP) =>
      computeRules({ policies: [policyWith(phases, url)], service: aService(), now: APRIL }).rules;
    expect(rules()[0].instructionsUrl).toBe(PHASE_SETUP);
    expect(rules([warnFromMarch], null)[0]).not.toHaveProperty('instructionsUrl');
    const reportOnly = aPhase({ enforcement: 'report-only', instructionsUrl: PHASE_SETUP });
    expect(rules([reportOnly])[0]).not.toHaveProperty('instructionsUrl');
  });

  it('lets a standing rule warn, with the policy instructions', () => {
    const plan = aPlan({
      standingRules: [{ on: 'mfa-ready', since: '2024-01-01T00:00:00Z', enforcement: 'warn' }],
    });
    const policy = aPolicyWith(
      [aRevision(1, '2024-01-01T00:00:00.000Z', plan)],
      aPolicy({ instructionsUrl: SETUP }),
    );
    const service = aService({
      capabilityChanges: [
        { mfaCapability: 'ready', effectiveAt: '2024-02-01T00:00:00Z', recordedAt: '2024-02-01T00:00:00Z' },
      ],
    });
    const sut = resolveRequirements({ policies: [policy], service, at: APRIL, asOf: APRIL });
    expect(sut.requirements[0]).toMatchObject({
      level: 'warn',
      source: { kind: 'rule', rule: 'mfa-ready' },
      instructionsUrl: SETUP,
    });
  });

  it('shows warn on the live timeline, in the impact of a draft and in the diff', () => {
    const transitions = liveTransitions({
      policies: [policyWith()],
      service: aService(),
      from: 0,
      to: ms('2025-01-01T00:00:00Z'),
    });
    expect(transitions.filter((t) => t.population === 'staff').map((t) => `${t.from}>${t.to}`)).toEqual([
      'none>expected',
      'expected>warn',
      'warn>enforced',
    ]);
    const enforced = aPhase({ key: 'block', effective: { at: '2024-03-01T00:00:00Z' } });
    const published = [aRevision(1, '2024-01-01T00:00:00.000Z', aPlan({ phases: [enforced] }))];
    const softened = aPlan({ phases: [{ ...enforced, enforcement: 'warn' }] });
    const impact = impactOfDraft({
      policy: aPolicy(),
      published,
      draft: { plan: softened, publishAt: null },
      services: [aService()],
      now: APRIL,
    });
    expect(impact.map((entry) => `${entry.from}>${entry.to}`)).toEqual(['enforced>warn', 'enforced>warn']);
    const diff = diffRevisionPlans(published[0].plan, {
      ...softened,
      phases: [{ ...softened.phases[0], instructionsUrl: PHASE_SETUP }],
    });
    expect(diff.phases[0].changes?.map((change) => change.field)).toEqual(['enforcement', 'instructionsUrl']);
  });

  it('validates warn, instructionsUrl on phases and policies, and names the field otherwise', () => {
    expect(errorsOf(withPhase({ enforcement: 'warn', instructionsUrl: PHASE_SETUP }))).toEqual([]);
    expect(fieldsOf(withPhase({ enforcement: 'warning' }))).toEqual(['phases[0].enforcement']);
    expect(fieldsOf(withPhase({ instructionsUrl: 'javascript:alert(1)' }))).toEqual([
      'phases[0].instructionsUrl',
    ]);
    const policy = { id: 'mfa', title: 'MFA', timezone: 'Asia/Tokyo' };
    expect(validatePolicyInput({ ...policy, instructionsUrl: SETUP })).toMatchObject({
      ok: true,
      policy: { instructionsUrl: SETUP },
    });
    expect(validatePolicyInput({ ...policy, instructionsUrl: 'not a url' })).toMatchObject({
      ok: false,
      errors: [{ field: 'instructionsUrl' }],
    });
  });
});
