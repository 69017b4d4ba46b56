import fc from 'fast-check';
import type {
  CapabilityChange,
  IntroductionFact,
  Phase,
  PhaseScope,
  PolicyModel,
  PolicyWithRevisions,
  PublishedRevision,
  RevisionPlan,
  ServiceFacts,
  StandingRule,
} from '../plan.types';

// fast-check arbitraries for valid plans and facts on a coarse grid of days, so that
// instants often coincide (the interesting edge cases).

export const BASE = Date.UTC(2024, 0, 1);
export const DAY = 86_400_000;
export const SERVICE_IDS = ['svc-a', 'svc-b', 'svc-c'];
const TAGS = ['email', 'lms', 'vpn'];

export const policyModel: PolicyModel = {
  id: 'mfa',
  title: 'MFA',
  timezone: 'Asia/Tokyo',
  populations: ['staff', 'students'],
  requireApproval: true,
};

export const POLICY_INSTRUCTIONS = 'https://mfa.example.ac.jp/setup';
export const PHASE_INSTRUCTIONS = 'https://mfa.example.ac.jp/setup/phase';

/** An instant on the grid (a day, sometimes a few hours into it). */
export const instantMs = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom(0, 0, 0, 5 * 3_600_000))
  .map(([day, offset]) => BASE + day * DAY + offset);
export const instantIso = instantMs.map((value) => new Date(value).toISOString());
/** A date-only value, read in Asia/Tokyo. */
const dateOnly = fc
  .integer({ min: 0, max: 40 })
  .map((day) => new Date(BASE + day * DAY).toISOString().slice(0, 10));

const scope: fc.Arbitrary<PhaseScope> = fc
  .record({
    target: fc.oneof(
      fc.subarray(SERVICE_IDS, { minLength: 1 }).map((services): PhaseScope => ({ services })),
      fc
        .record({
          mfaCapability: fc.option(fc.constantFrom('ready' as const, 'not-ready' as const), {
            nil: undefined,
          }),
          tags: fc.option(fc.subarray(TAGS, { minLength: 1 }), { nil: undefined }),
        })
        .filter((selector) => selector.mfaCapability !== undefined || selector.tags !== undefined)
        .map(({ mfaCapability, tags }): PhaseScope => ({
          selector: {
            ...(mfaCapability === undefined ? {} : { mfaCapability }),
            ...(tags === undefined ? {} : { tags }),
          },
        })),
    ),
    except: fc.option(fc.subarray(SERVICE_IDS), { nil: undefined }),
    populations: fc.option(fc.subarray(policyModel.populations, { minLength: 1 }), { nil: undefined }),
  })
  .map(({ target, except, populations }) => ({
    ...target,
    ...(except === undefined ? {} : { except }),
    ...(populations === undefined ? {} : { populations }),
  }));

export const phaseWithoutKey = fc
  .record({
    effective: fc.oneof(
      fc.oneof(instantIso, dateOnly).map((at) => ({ at })),
      fc.constantFrom('2024-01', '2024-02', '2024-02-10').map((tentative) => ({ tentative })),
    ),
    scope,
    enforcement: fc.constantFrom('enforce' as const, 'warn' as const, 'report-only' as const),
    state: fc.constantFrom('active' as const, 'active' as const, 'suspended' as const, 'cancelled' as const),
    instructionsUrl: fc.option(fc.constantFrom(PHASE_INSTRUCTIONS), { nil: undefined }),
  })
  .map(({ instructionsUrl, ...phase }): Omit<Phase, 'key'> => ({
    title: 'generated',
    ...phase,
    ...(phase.state === 'active' ? {} : { stateReason: 'generated' }),
    ...(instructionsUrl === undefined ? {} : { instructionsUrl }),
  }));

const standingRule: fc.Arbitrary<StandingRule> = fc
  .record({
    on: fc.constantFrom('mfa-ready' as const, 'service-introduced' as const),
    since: fc.option(fc.oneof(instantIso, dateOnly), { nil: undefined }),
    enforcement: fc.constantFrom('enforce' as const, 'warn' as const, 'report-only' as const),
  })
  .map((rule) => (rule.since === undefined ? { on: rule.on, enforcement: rule.enforcement } : rule));

export const plan: fc.Arbitrary<RevisionPlan> = fc
  .record({
    phases: fc.array(phaseWithoutKey, { maxLength: 4 }),
    standingRules: fc.uniqueArray(standingRule, { selector: (rule) => rule.on, maxLength: 2 }),
    mandatory: fc.option(
      dateOnly.map((since) => ({ since })),
      { nil: undefined },
    ),
  })
  .map(({ phases, standingRules, mandatory }) => ({
    phases: phases.map((phase, index) => ({ key: `p${index}`, ...phase })),
    standingRules,
    ...(mandatory === undefined ? {} : { mandatory }),
  }));

export const revisions: fc.Arbitrary<PublishedRevision[]> = fc
  .array(fc.record({ publishAt: instantIso, recordedAt: instantIso, plan }), { minLength: 1, maxLength: 3 })
  .map((items) => items.map((item, index) => ({ number: index + 1, ...item })));

/** Sometimes with the policy's setup instructions, which phases without their own inherit. */
export const policy: fc.Arbitrary<PolicyWithRevisions> = fc
  .tuple(revisions, fc.boolean())
  .map(([items, withInstructions]) => ({
    policy: withInstructions ? { ...policyModel, instructionsUrl: POLICY_INSTRUCTIONS } : policyModel,
    revisions: items,
  }));

const capabilityChange: fc.Arbitrary<CapabilityChange> = fc.record({
  mfaCapability: fc.constantFrom('ready' as const, 'not-ready' as const),
  effectiveAt: instantIso,
  recordedAt: instantIso,
});

const introduction: fc.Arbitrary<IntroductionFact> = fc.record({
  introducedAt: fc.option(instantIso, { nil: null }),
  recordedAt: instantIso,
});

export const service: fc.Arbitrary<ServiceFacts> = fc.record({
  id: fc.constantFrom(...SERVICE_IDS),
  tags: fc.subarray(TAGS),
  recordedAt: instantIso,
  introductions: fc.array(introduction, { maxLength: 2 }),
  capabilityChanges: fc.array(capabilityChange, { maxLength: 4 }),
});
