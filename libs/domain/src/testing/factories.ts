import type {
  CapabilityChange,
  IntroductionFact,
  Phase,
  PolicyModel,
  PolicyWithRevisions,
  PublishedRevision,
  RevisionPlan,
  ServiceFacts,
} from '../plan.types';

// Small factories for specs: sensible defaults, override what the test is about.

export const ms = (iso: string): number => {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) {
    throw new Error(`bad test instant ${iso}`);
  }
  return value;
};

export function aPolicy(overrides: Partial<PolicyModel> = {}): PolicyModel {
  return {
    id: 'mfa',
    title: 'MFA',
    timezone: 'UTC',
    populations: ['staff', 'students'],
    requireApproval: true,
    ...overrides,
  };
}

export function aPhase(overrides: Partial<Phase> = {}): Phase {
  return {
    key: 'p1',
    title: 'Phase one',
    effective: { at: '2024-03-01T00:00:00Z' },
    scope: { services: ['svc-a'] },
    enforcement: 'enforce',
    state: 'active',
    ...overrides,
  };
}

export function aPlan(overrides: Partial<RevisionPlan> = {}): RevisionPlan {
  return { phases: [], standingRules: [], ...overrides };
}

export function aRevision(
  number: number,
  publishAt: string,
  plan: RevisionPlan,
  recordedAt: string = publishAt,
): PublishedRevision {
  return { number, publishAt, recordedAt, plan };
}

export function aPolicyWith(
  revisions: PublishedRevision[],
  policy: PolicyModel = aPolicy(),
): PolicyWithRevisions {
  return { policy, revisions };
}

export function aService(overrides: Partial<ServiceFacts> = {}): ServiceFacts {
  return {
    id: 'svc-a',
    tags: [],
    recordedAt: '2020-01-01T00:00:00.000Z',
    introductions: [],
    capabilityChanges: [],
    ...overrides,
  };
}

/** The directory says the service was introduced at `introducedAt`, from `recordedAt` on. */
export function anIntroduction(introducedAt: string | null, recordedAt: string): IntroductionFact {
  return { introducedAt, recordedAt };
}

export function aFact(
  mfaCapability: CapabilityChange['mfaCapability'],
  effectiveAt: string,
  recordedAt: string = effectiveAt,
): CapabilityChange {
  return { mfaCapability, effectiveAt, recordedAt };
}
