import fc from 'fast-check';
import { type PolicyWithRevisions, type PostponementFact, type ServiceFacts, levelRank } from './plan.types';
import { liveAnswerValidUntil, resolveRequirements } from './resolve';
import { SERVICE_IDS, instantIso, instantMs, policy, service } from './testing/arbitraries';
import { liveTransitions } from './transitions';

// A postponement only ever lowers (delays) the level of its one service under its one phase,
// counts from its recording, and lapses by itself at its date.

const resolve = (plan: PolicyWithRevisions, facts: ServiceFacts, at: number, asOf: number) =>
  resolveRequirements({ policies: [plan], service: facts, at, asOf }).requirements;

/** Any plan, plus an active phase `pp` on every service in every revision: the one mostly postponed. */
const plans: fc.Arbitrary<PolicyWithRevisions> = fc
  .tuple(policy, instantIso, fc.constantFrom('enforce' as const, 'report-only' as const))
  .map(([plan, at, enforcement]) => ({
    ...plan,
    revisions: plan.revisions.map((revision) => ({
      ...revision,
      plan: {
        ...revision.plan,
        phases: [
          ...revision.plan.phases,
          {
            key: 'pp',
            title: 'postponed',
            effective: { at },
            scope: { services: SERVICE_IDS },
            enforcement,
            state: 'active' as const,
          },
        ],
      },
    })),
  }));

const postponements: fc.Arbitrary<PostponementFact[]> = fc.array(
  fc.record({
    id: fc.constantFrom('pp-1', 'pp-2', 'pp-3'),
    policy: fc.constantFrom('mfa', 'mfa', 'other'),
    phase: fc.constantFrom('pp', 'pp', 'pp', 'p0', 'p1'),
    until: instantIso,
    recordedAt: instantIso,
  }),
  { minLength: 1, maxLength: 3 },
);

const withPostponements = (facts: ServiceFacts, added: PostponementFact[]): ServiceFacts => ({
  ...facts,
  postponements: added,
});

/** The same plan without the postponed phases: the floor a postponement never goes under. */
const withoutPhases = (plan: PolicyWithRevisions, keys: ReadonlySet<string>): PolicyWithRevisions => ({
  ...plan,
  revisions: plan.revisions.map((revision) => ({
    ...revision,
    plan: { ...revision.plan, phases: revision.plan.phases.filter((phase) => !keys.has(phase.key)) },
  })),
});

describe('postponement (properties)', () => {
  it('never raises a level, and never lowers it below the plan without the postponed phases', () => {
    fc.assert(
      fc.property(plans, service, postponements, instantMs, instantMs, (plan, facts, added, at, asOf) => {
        const plain = resolve(plan, facts, at, asOf);
        const postponed = resolve(plan, withPostponements(facts, added), at, asOf);
        const keys = new Set(added.filter((p) => p.policy === 'mfa').map((p) => p.phase));
        const floor = resolve(withoutPhases(plan, keys), facts, at, asOf);
        postponed.forEach((requirement, index) => {
          expect(levelRank(requirement.level)).toBeLessThanOrEqual(levelRank(plain[index].level));
          expect(levelRank(requirement.level)).toBeGreaterThanOrEqual(levelRank(floor[index].level));
        });
      }),
    );
  });

  it('changes nothing before its recording, or under another policy', () => {
    fc.assert(
      fc.property(plans, service, postponements, instantMs, instantMs, (plan, facts, added, at, asOf) => {
        const known = Math.min(at, asOf);
        fc.pre(added.every((p) => p.policy !== 'mfa' || Date.parse(p.recordedAt) > known));
        expect(resolve(plan, withPostponements(facts, added), at, asOf)).toEqual(
          resolve(plan, facts, at, asOf),
        );
      }),
      { numRuns: 300 },
    );
  });

  // Its source may differ: another phase of the same level may now be the longer-standing one.
  it("after its date gives the plan's level again, since no earlier than the plan says", () => {
    fc.assert(
      fc.property(plans, service, postponements, instantMs, instantMs, (plan, facts, added, at, asOf) => {
        fc.pre(added.every((p) => p.policy !== 'mfa' || Date.parse(p.until) <= at));
        const plain = resolve(plan, facts, at, asOf);
        resolve(plan, withPostponements(facts, added), at, asOf).forEach((requirement, index) => {
          expect(requirement.level).toBe(plain[index].level);
          expect(requirement.revision).toBe(plain[index].revision);
          const [since, plainSince] = [requirement.since, plain[index].since];
          expect(since === null).toBe(plainSince === null);
          if (since !== null && plainSince !== null) {
            expect(Date.parse(since)).toBeGreaterThanOrEqual(Date.parse(plainSince));
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('leaves the live timeline as it was from its date on', () => {
    fc.assert(
      fc.property(plans, service, postponements, (plan, facts, added) => {
        const lastUntil = Math.max(...added.map((p) => Date.parse(p.until)));
        const window = { from: lastUntil, to: lastUntil + 60 * 86_400_000 };
        const plain = liveTransitions({ policies: [plan], service: facts, ...window });
        const postponed = liveTransitions({
          policies: [plan],
          service: withPostponements(facts, added),
          ...window,
        });
        // The first instant may differ (the delayed rise lands there); every level after is the
        // plan's own. Which phase is named may differ: the postponed phase counts from its new
        // date, so where two phases give the same level the other one may be the earlier.
        const levelsAfter = (list: typeof plain) =>
          list
            .filter((t) => t.atMs > lastUntil)
            .map(({ atMs, policy, population, from, to }) => ({ atMs, policy, population, from, to }));
        expect(levelsAfter(postponed)).toEqual(levelsAfter(plain));
      }),
    );
  });

  it('keeps the live answer unchanged until the instant liveAnswerValidUntil names (hot reads keep it)', () => {
    fc.assert(
      fc.property(
        plans,
        service,
        postponements,
        instantMs,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (plan, plain, added, now, fraction) => {
          const facts = withPostponements(plain, added);
          const until = liveAnswerValidUntil([plan], facts, now);
          const span = (until ?? now + 50 * 86_400_000) - now;
          const later = now + Math.floor(fraction * (span - 1));
          expect(resolveRequirements({ policies: [plan], service: facts, at: later, asOf: later })).toEqual(
            resolveRequirements({ policies: [plan], service: facts, at: now, asOf: now }),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
