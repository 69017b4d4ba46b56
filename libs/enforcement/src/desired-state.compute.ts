import { compilePolicies } from '@stepwise/domain/compiled-plan';
import { compileService } from '@stepwise/domain/compiled-service';
import type { PolicyWithRevisions, ServiceFacts } from '@stepwise/domain/plan.types';
import { computeRules } from '@stepwise/domain/rules-document';
import { nextLiveChangeAt } from '@stepwise/domain/transitions';

/** What the database holds for a service before a refresh (only what the comparison needs). */
export interface StoredRulesState {
  hash: string;
  nextChangeAt: number | null;
  /** When the stored document was computed. */
  computedAt: number;
}

/** A document whose hash differs from the stored one: to be written with a new generation. */
export interface ChangedRulesRow {
  serviceId: string;
  hash: string;
  /** Serialised once here, in the documented key order; stored as is (a json column). */
  rulesJson: string;
  nextChangeAt: string | null;
}

/**
 * A transition processed late: a stored next-change instant that had passed before this refresh,
 * or a change of the live requirements that no stored instant announced (a fact or a revision
 * recorded while no worker ran), found when its document changes more than `lateAfterMs` after it.
 */
export interface OverdueTransition {
  serviceId: string;
  nextChangeAt: number;
  latenessMs: number;
}

export interface DesiredStatePlan {
  changed: ChangedRulesRow[];
  overdue: OverdueTransition[];
  /** Distinct future next-change instants of every service, ascending: the transitions to schedule. */
  upcoming: number[];
  /** Those of `upcoming` that no service had stored as its next change: not scheduled by anyone yet. */
  newlyUpcoming: number[];
}

/**
 * Pure: the desired rules of every service at `now`, compared with what is stored. Policies are
 * compiled once for all services (computeRules passes compiled ones through). `dueOnly` computes
 * only the services whose stored next change has come: when the plan itself has not changed, no
 * other document can have (that is what nextChangeAt means), so a transition costs the services
 * it moves rather than the whole directory.
 */
export function planDesiredState(
  inputs: { policies: PolicyWithRevisions[]; services: ServiceFacts[] },
  stored: ReadonlyMap<string, StoredRulesState>,
  now: number,
  options: { dueOnly?: boolean; lateAfterMs?: number } = {},
): DesiredStatePlan {
  const policies = compilePolicies(inputs.policies);
  const changed: ChangedRulesRow[] = [];
  const overdue: OverdueTransition[] = [];
  const upcoming = new Set<number>();
  for (const service of inputs.services) {
    const previous = stored.get(service.id);
    const due = previous !== undefined && previous.nextChangeAt !== null && previous.nextChangeAt <= now;
    if (options.dueOnly === true && !due) {
      continue;
    }
    const compiled = compileService(service);
    const computed = computeRules({ policies, service: compiled, now });
    if (due && previous.nextChangeAt !== null) {
      overdue.push({
        serviceId: service.id,
        nextChangeAt: previous.nextChangeAt,
        latenessMs: now - previous.nextChangeAt,
      });
    }
    if (computed.nextChangeAt !== null) {
      upcoming.add(Date.parse(computed.nextChangeAt));
    }
    if (previous?.hash === computed.hash) {
      continue;
    }
    if (previous !== undefined && !due && options.lateAfterMs !== undefined) {
      // Only instants between the stored computation and lateAfterMs ago are looked at: a change
      // heard of in time costs nothing more here.
      const missed = nextLiveChangeAt({
        policies,
        service: compiled,
        from: previous.computedAt,
        until: now - options.lateAfterMs,
      });
      if (missed !== null) {
        overdue.push({ serviceId: service.id, nextChangeAt: missed, latenessMs: now - missed });
      }
    }
    changed.push({
      serviceId: service.id,
      hash: computed.hash,
      rulesJson: JSON.stringify(computed.rules),
      nextChangeAt: computed.nextChangeAt,
    });
  }
  const known = new Set([...stored.values()].map((state) => state.nextChangeAt));
  const sorted = [...upcoming].sort((a, b) => a - b);
  return { changed, overdue, upcoming: sorted, newlyUpcoming: sorted.filter((at) => !known.has(at)) };
}
