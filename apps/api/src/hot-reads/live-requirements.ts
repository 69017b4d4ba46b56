import type { Clock } from '@stepwise/common/clock';
import type { Principal } from '@stepwise/common/principal';
import { liveAnswerValidUntil, resolveRequirements } from '@stepwise/domain/resolve';
import type { CompiledPlan, PlanSnapshot } from '@stepwise/plan-snapshot/plan-snapshot';
import { assertCanSee, knownService } from '../requirements/requirements.service';

/** A live answer's JSON without its instants, and the span of time it holds for. */
interface KeptLiveAnswer {
  plan: CompiledPlan;
  from: number;
  until: number;
  /** `{"service":"…","at":` */
  head: string;
  /** `"requirements":[…],"upcoming":[…]}` */
  tail: string;
  /** The last answer made from it, and its millisecond: many answers share one. */
  lastMs: number;
  lastJson: string;
}

/**
 * The front door's answer to the plain question "what must my system require now?" (at = asOf =
 * now): the JSON RequirementsService.forService would give, byte for byte. The answer stays the
 * same until the plan is rebuilt or the next instant at which it can change
 * (`liveAnswerValidUntil`), so it is computed once per span and only its instants are filled in.
 * The front door's own object, built with it (api-app.factory.ts), not a Nest provider.
 */
export class LiveRequirements {
  /** By service and population; bounded by the directory (unknown ones are refused first). */
  private readonly live = new Map<string, KeptLiveAnswer>();

  constructor(
    private readonly snapshot: PlanSnapshot,
    private readonly clock: Clock,
  ) {}

  async json(principal: Principal, serviceId: string, population?: string): Promise<string> {
    assertCanSee(principal, serviceId);
    return this.jsonFrom(await this.snapshot.current(), serviceId, population);
  }

  /** As `json`, without waiting: null when the snapshot must be rebuilt first. */
  jsonIfFresh(principal: Principal, serviceId: string, population?: string): string | null {
    assertCanSee(principal, serviceId);
    const plan = this.snapshot.peek();
    return plan === null ? null : this.jsonFrom(plan, serviceId, population);
  }

  private jsonFrom(plan: CompiledPlan, serviceId: string, population: string | undefined): string {
    const now = this.clock.nowMs();
    const key = population === undefined ? serviceId : `${serviceId}?${population}`;
    let kept = this.live.get(key);
    if (kept === undefined || kept.plan !== plan || now < kept.from || now >= kept.until) {
      kept = this.keep(plan, serviceId, population, now);
      this.live.set(key, kept);
    }
    if (kept.lastMs !== now) {
      const instant = JSON.stringify(new Date(now).toISOString());
      kept.lastMs = now;
      kept.lastJson = `${kept.head}${instant},"asOf":${instant},${kept.tail}`;
    }
    return kept.lastJson;
  }

  private keep(
    plan: CompiledPlan,
    serviceId: string,
    population: string | undefined,
    now: number,
  ): KeptLiveAnswer {
    const service = knownService(plan, serviceId, population);
    const { requirements, upcoming } = resolveRequirements({
      policies: plan.policies,
      service,
      population,
      at: now,
      asOf: now,
    });
    return {
      plan,
      from: now,
      until: liveAnswerValidUntil(plan.policies, service, now) ?? Infinity,
      head: `{"service":${JSON.stringify(serviceId)},"at":`,
      tail: JSON.stringify({ requirements, upcoming }).slice(1),
      lastMs: NaN,
      lastJson: '',
    };
  }
}
