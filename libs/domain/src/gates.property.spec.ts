import fc from 'fast-check';
import type { Gate, GateCheck } from './adoption';
import type { GateEvaluationFact, GatingFacts } from './gates';
import { type Phase, type PolicyWithRevisions, levelRank } from './plan.types';
import { resolveRequirements } from './resolve';
import { instantIso, instantMs, phaseWithoutKey, policy, service } from './testing/arbitraries';

const gate: Gate = { population: 'students', metric: 'registered', atLeast: 0.95 };

/** The same policy with a gated copy of `extra` in every revision, and the given gating facts. */
function withGatedPhase(source: PolicyWithRevisions, extra: Omit<Phase, 'key'>, gating: GatingFacts) {
  return {
    ...source,
    gating,
    revisions: source.revisions.map((revision) => ({
      ...revision,
      plan: {
        ...revision.plan,
        phases: [...revision.plan.phases, { key: 'gated', ...extra, gates: [gate] }],
      },
    })),
  };
}

const notPassing: fc.Arbitrary<GateEvaluationFact> = fc.record({
  phase: fc.constantFrom('gated', 'p0'),
  evaluatedAt: instantIso,
  recordedAt: instantIso,
  outcome: fc.constantFrom('fail' as const, 'inconclusive' as const),
  checks: fc.constant<GateCheck[]>([]),
});

const levelsAndSources = (result: ReturnType<typeof resolveRequirements>) =>
  result.requirements.map(({ level, source, since, revision }) => ({ level, source, since, revision }));

describe('gated phases (properties)', () => {
  it('a held phase never raises a level: fail and inconclusive evaluations change nothing', () => {
    fc.assert(
      fc.property(
        policy,
        service,
        phaseWithoutKey,
        fc.array(notPassing, { maxLength: 4 }),
        instantMs,
        instantMs,
        (plan, facts, extra, evaluations, at, asOf) => {
          const before = resolveRequirements({ policies: [plan], service: facts, at, asOf });
          const gated = withGatedPhase(plan, extra, { evaluations, overrides: [] });
          const after = resolveRequirements({ policies: [gated], service: facts, at, asOf });
          expect(levelsAndSources(after)).toEqual(levelsAndSources(before));
        },
      ),
    );
  });

  it('a pass or an approved release never lowers a level, and facts recorded after asOf change nothing', () => {
    const anyFact = fc.record({
      phase: fc.constant('gated'),
      evaluatedAt: instantIso,
      recordedAt: instantIso,
      outcome: fc.constantFrom('pass' as const, 'fail' as const, 'inconclusive' as const),
      checks: fc.constant<GateCheck[]>([]),
    });
    fc.assert(
      fc.property(
        policy,
        service,
        phaseWithoutKey,
        fc.array(anyFact, { maxLength: 4 }),
        instantMs,
        instantMs,
        (plan, facts, extra, evaluations, at, asOf) => {
          const known = evaluations.filter((e) => Date.parse(e.recordedAt) <= asOf);
          const held = withGatedPhase(plan, extra, { evaluations: [], overrides: [] });
          const withKnown = withGatedPhase(plan, extra, { evaluations: known, overrides: [] });
          const withAll = withGatedPhase(plan, extra, { evaluations, overrides: [] });
          const resolve = (p: PolicyWithRevisions) =>
            resolveRequirements({ policies: [p], service: facts, at, asOf });
          expect(resolve(withAll)).toEqual(resolve(withKnown));
          const base = resolve(held).requirements;
          resolve(withKnown).requirements.forEach((requirement, index) => {
            expect(levelRank(requirement.level)).toBeGreaterThanOrEqual(levelRank(base[index].level));
          });
        },
      ),
    );
  });
});
