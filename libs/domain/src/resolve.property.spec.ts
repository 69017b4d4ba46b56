import fc from 'fast-check';
import { type Level, type Phase, type PolicyWithRevisions, type ServiceFacts, levelRank } from './plan.types';
import { liveAnswerValidUntil, resolveRequirements } from './resolve';
import { instantIso, instantMs, phaseWithoutKey, policy, service } from './testing/arbitraries';

const instantMs_ = (iso: string): number => Date.parse(iso);

const resolve = (policies: PolicyWithRevisions, facts: ServiceFacts, at: number, asOf: number) =>
  resolveRequirements({ policies: [policies], service: facts, at, asOf });

const levelsOf = (result: ReturnType<typeof resolve>): Level[] =>
  result.requirements.map((requirement) => requirement.level);

/** The same policy with `extra` appended to every revision's phases. */
function withPhaseEverywhere(source: PolicyWithRevisions, extra: Omit<Phase, 'key'>) {
  return {
    ...source,
    revisions: source.revisions.map((revision) => ({
      ...revision,
      plan: { ...revision.plan, phases: [...revision.plan.phases, { key: 'extra', ...extra }] },
    })),
  };
}

describe(`${resolveRequirements.name} (properties)`, () => {
  it('dates a rule in force no earlier than the first publication, no later than now, and moves it only for a revision that backdates', () => {
    fc.assert(
      fc.property(policy, service, instantMs, (plan, facts, now) => {
        const firstPublished = Math.min(...plan.revisions.map((r) => instantMs_(r.publishAt)));
        for (const requirement of resolve(plan, facts, now, now).requirements) {
          if (requirement.since === null) {
            expect(requirement.plannedSince).toBeNull();
            continue;
          }
          const since = instantMs_(requirement.since);
          expect(since).toBeGreaterThanOrEqual(firstPublished);
          expect(since).toBeLessThanOrEqual(now);
          if (requirement.since !== requirement.plannedSince) {
            // Only a plan date before its own revision's publication is replaced.
            const governing = plan.revisions.find((r) => r.number === requirement.revision);
            expect(instantMs_(requirement.plannedSince ?? '')).toBeLessThan(
              instantMs_(governing?.publishAt ?? ''),
            );
          }
        }
      }),
    );
  });

  it('enforces a phase over every service (scope all) on any service, ready or not, introduced or not, but the excepted', () => {
    fc.assert(
      fc.property(service, instantMs, instantMs, fc.boolean(), (facts, phaseAt, at, excepted) => {
        const all: PolicyWithRevisions = {
          policy: {
            id: 'mfa',
            title: 'MFA',
            timezone: 'UTC',
            populations: ['staff', 'students'],
            requireApproval: true,
          },
          revisions: [
            {
              number: 1,
              publishAt: new Date(Math.min(phaseAt, at)).toISOString(),
              recordedAt: new Date(Math.min(phaseAt, at)).toISOString(),
              plan: {
                phases: [
                  {
                    key: 'all',
                    title: 'every service',
                    effective: { at: new Date(phaseAt).toISOString() },
                    scope: { all: true, ...(excepted ? { except: [facts.id] } : {}) },
                    enforcement: 'enforce',
                    state: 'active',
                  },
                ],
                standingRules: [],
              },
            },
          ],
        };
        const expected: Level = excepted || at < phaseAt ? 'none' : 'enforced';
        expect(levelsOf(resolve(all, facts, at, at))).toEqual([expected, expected]);
      }),
    );
  });

  it('never raises a level with a suspended, cancelled or tentative phase', () => {
    const inert = phaseWithoutKey.filter(
      (phase) => phase.state !== 'active' || phase.effective.tentative !== undefined,
    );
    fc.assert(
      fc.property(policy, service, inert, instantMs, instantMs, (plan, facts, extra, at, asOf) => {
        const before = resolve(plan, facts, at, asOf);
        const after = resolve(withPhaseEverywhere(plan, extra), facts, at, asOf);
        expect(after.requirements).toEqual(before.requirements);
      }),
    );
  });

  it('never lowers a level by adding a phase', () => {
    fc.assert(
      fc.property(policy, service, phaseWithoutKey, instantMs, instantMs, (plan, facts, extra, at, asOf) => {
        const before = levelsOf(resolve(plan, facts, at, asOf));
        const after = levelsOf(resolve(withPhaseEverywhere(plan, extra), facts, at, asOf));
        after.forEach((level, index) =>
          expect(levelRank(level)).toBeGreaterThanOrEqual(levelRank(before[index])),
        );
      }),
    );
  });

  it('never raises a level by suspending a phase', () => {
    fc.assert(
      fc.property(policy, service, instantMs, instantMs, (plan, facts, at, asOf) => {
        const suspended = {
          ...plan,
          revisions: plan.revisions.map((revision) => ({
            ...revision,
            plan: {
              ...revision.plan,
              phases: revision.plan.phases.map((phase) => ({
                ...phase,
                state: 'suspended' as const,
                stateReason: 'x',
              })),
            },
          })),
        };
        const before = levelsOf(resolve(plan, facts, at, asOf));
        levelsOf(resolve(suspended, facts, at, asOf)).forEach((level, index) =>
          expect(levelRank(level)).toBeLessThanOrEqual(levelRank(before[index])),
        );
      }),
    );
  });

  it('answers for at <= asOf from revisions published by asOf and facts recorded by asOf only', () => {
    fc.assert(
      fc.property(policy, service, instantMs, instantMs, (plan, facts, first, second) => {
        const [at, asOf] = first <= second ? [first, second] : [second, first];
        const known = {
          ...plan,
          revisions: plan.revisions.filter((revision) => Date.parse(revision.publishAt) <= asOf),
        };
        const knownFacts = {
          ...facts,
          capabilityChanges: facts.capabilityChanges.filter(
            (change) => Date.parse(change.recordedAt) <= asOf,
          ),
          introductions: facts.introductions.filter((fact) => Date.parse(fact.recordedAt) <= asOf),
        };
        expect(resolve(known, knownFacts, at, asOf).requirements).toEqual(
          resolve(plan, facts, at, asOf).requirements,
        );
      }),
    );
  });

  it('is unaffected in full (upcoming included) by what was neither published nor recorded by asOf', () => {
    fc.assert(
      fc.property(
        policy,
        service,
        policy,
        instantMs,
        instantMs,
        instantIso,
        (plan, facts, later, at, asOf, lateAt) => {
          const afterAsOf = new Date(asOf + 1).toISOString();
          const unknownRevisions = later.revisions.map((revision, index) => ({
            ...revision,
            number: plan.revisions.length + index + 1,
            publishAt: afterAsOf,
            recordedAt: afterAsOf,
          }));
          const extended = { ...plan, revisions: [...plan.revisions, ...unknownRevisions] };
          const lateFact = { mfaCapability: 'ready' as const, effectiveAt: lateAt, recordedAt: afterAsOf };
          const lateIntroduction = { introducedAt: lateAt, recordedAt: afterAsOf };
          const extendedFacts = {
            ...facts,
            capabilityChanges: [...facts.capabilityChanges, lateFact],
            introductions: [...facts.introductions, lateIntroduction],
          };
          expect(resolve(extended, extendedFacts, at, asOf)).toEqual(resolve(plan, facts, at, asOf));
        },
      ),
    );
  });

  it('keeps the live answer (at = asOf) unchanged until the instant liveAnswerValidUntil names', () => {
    fc.assert(
      fc.property(
        policy,
        service,
        instantMs,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (plan, facts, now, fraction) => {
          const until = liveAnswerValidUntil([plan], facts, now);
          // A later instant inside [now, until): whole milliseconds, up to 50 days on when unbounded.
          const span = (until ?? now + 50 * 86_400_000) - now;
          const later = now + Math.floor(fraction * (span - 1));
          expect(resolve(plan, facts, later, later)).toEqual(resolve(plan, facts, now, now));
          if (until !== null) {
            expect(until).toBeGreaterThan(now);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds the live answer up to the millisecond before that instant', () => {
    fc.assert(
      fc.property(policy, service, instantMs, (plan, facts, now) => {
        const until = liveAnswerValidUntil([plan], facts, now);
        fc.pre(until !== null);
        const last = until - 1;
        expect(resolve(plan, facts, last, last)).toEqual(resolve(plan, facts, now, now));
      }),
      { numRuns: 300 },
    );
  });

  it('never raises a level by weakening an enforcement (enforce > warn > report-only)', () => {
    const weaker = { enforce: 'warn', warn: 'report-only', 'report-only': 'report-only' } as const;
    fc.assert(
      fc.property(policy, service, instantMs, instantMs, (plan, facts, at, asOf) => {
        const weakened = {
          ...plan,
          revisions: plan.revisions.map((revision) => ({
            ...revision,
            plan: {
              ...revision.plan,
              phases: revision.plan.phases.map((phase) => ({
                ...phase,
                enforcement: weaker[phase.enforcement],
              })),
              standingRules: revision.plan.standingRules.map((rule) => ({
                ...rule,
                enforcement: weaker[rule.enforcement ?? 'enforce'],
              })),
            },
          })),
        };
        const before = levelsOf(resolve(plan, facts, at, asOf));
        const after = levelsOf(resolve(weakened, facts, at, asOf));
        after.forEach((level, index) => {
          expect(levelRank(level)).toBeLessThanOrEqual(levelRank(before[index]));
          // Nothing but an enforce phase or rule gives `enforced`.
          expect(level).not.toBe('enforced');
        });
      }),
    );
  });

  it('carries instructionsUrl exactly at warn and enforced when the phase or policy gives one', () => {
    fc.assert(
      fc.property(policy, service, instantMs, instantMs, (plan, facts, at, asOf) => {
        for (const requirement of resolve(plan, facts, at, asOf).requirements) {
          const shows = requirement.level === 'warn' || requirement.level === 'enforced';
          if (!shows) {
            expect(requirement.instructionsUrl).toBeUndefined();
            continue;
          }
          const source = requirement.source;
          const revision = plan.revisions.find((candidate) => candidate.number === requirement.revision);
          const phase =
            source.kind === 'phase'
              ? revision?.plan.phases.find((candidate) => candidate.key === source.phase)
              : undefined;
          expect(requirement.instructionsUrl).toBe(phase?.instructionsUrl ?? plan.policy.instructionsUrl);
        }
      }),
    );
  });
});
