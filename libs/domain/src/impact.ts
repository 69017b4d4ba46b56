import { type CompiledPolicy, compilePolicy } from './compiled-plan';
import { type CompiledService, type ServiceInput, compileService, serviceInstants } from './compiled-service';
import { toIso } from './dates';
import { evaluatePolicy } from './evaluate';
import type { Level, PolicyModel, PublishedRevision, RevisionPlan } from './plan.types';
import type { RequirementSource } from './requirement.types';
import { instantsAfter } from './upcoming';

export interface ImpactInput {
  policy: PolicyModel;
  published: readonly PublishedRevision[];
  /** publishAt null: the draft would take over now. */
  draft: { plan: RevisionPlan; publishAt: number | null };
  services: readonly ServiceInput[];
  now: number;
}

/** From `from` (without the draft) to `to` (with it), from `at` on; `source` explains `to`. */
export interface ImpactEntry {
  service: string;
  population: string;
  at: string;
  from: Level;
  to: Level;
  source: RequirementSource;
}

function draftRevision(input: ImpactInput, takeover: number): PublishedRevision {
  const number = input.published.reduce((highest, revision) => Math.max(highest, revision.number), 0) + 1;
  return { number, publishAt: toIso(takeover), recordedAt: toIso(input.now), plan: input.draft.plan };
}

function serviceImpact(
  service: CompiledService,
  without: CompiledPolicy,
  withDraft: CompiledPolicy,
  takeover: number,
): ImpactEntry[] {
  const populations = withDraft.policy.populations;
  const entries: ImpactEntry[] = [];
  const lastPair: (string | null)[] = populations.map(() => null);
  const instants = [takeover, ...instantsAfter(takeover, withDraft.instants, serviceInstants(service, null))];
  for (const instant of instants) {
    const before = evaluatePolicy(without, service, populations, instant, instant);
    const after = evaluatePolicy(withDraft, service, populations, instant, instant);
    after.forEach((evaluation, index) => {
      const from = before[index].level;
      const pair = `${from}>${evaluation.level}`;
      if (pair === lastPair[index]) {
        return;
      }
      lastPair[index] = pair;
      if (from === evaluation.level) {
        return;
      }
      entries.push({
        service: service.id,
        population: populations[index],
        at: toIso(instant),
        from,
        to: evaluation.level,
        source: { ...evaluation.source },
      });
    });
  }
  return entries;
}

/**
 * What-if: on the live timeline from the draft's takeover instant (its publishAt, or now)
 * onwards, every (service, population) whose level would differ with the draft published,
 * reported at each instant where the difference starts or changes.
 */
export function impactOfDraft(input: ImpactInput): ImpactEntry[] {
  const takeover = input.draft.publishAt ?? input.now;
  const without = compilePolicy({ policy: input.policy, revisions: [...input.published] });
  const withDraft = compilePolicy({
    policy: input.policy,
    revisions: [...input.published, draftRevision(input, takeover)],
  });
  const entries = input.services.flatMap((service) =>
    serviceImpact(compileService(service), without, withDraft, takeover),
  );
  return entries.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
}
