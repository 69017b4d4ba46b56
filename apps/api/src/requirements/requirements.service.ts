import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { canSeeService, Principal } from '@stepwise/common/principal';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { toIso } from '@stepwise/domain/dates';
import type { CompiledService } from '@stepwise/domain/compiled-service';
import { liveAnswerValidUntil, resolveRequirements } from '@stepwise/domain/resolve';
import { CompiledPlan, PlanSnapshot } from '@stepwise/plan-snapshot/plan-snapshot';
import { readInstantParams } from './query-instants';
import type { RequirementsAnswerDto, RequirementsQueryDto } from './requirements.dto';

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

/** "What must my system require at `at`, as the plan stood at `asOf`, and what changes next?" */
@Injectable()
export class RequirementsService {
  private readonly zone: string;
  /** By service and population; bounded by the directory (unknown ones are refused first). */
  private readonly live = new Map<string, KeptLiveAnswer>();

  constructor(
    private readonly snapshot: PlanSnapshot,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.zone = config.get('STEPWISE_TIMEZONE', { infer: true });
  }

  async forService(
    principal: Principal,
    serviceId: string,
    query: RequirementsQueryDto,
  ): Promise<RequirementsAnswerDto> {
    assertCanSee(principal, serviceId);
    const now = this.clock.nowMs();
    const { at, asOf } = readInstantParams(query, { at: now, asOf: now }, this.zone);
    const plan = await this.snapshot.current();
    const service = knownService(plan, serviceId, query.population);
    const result = resolveRequirements({
      policies: plan.policies,
      service,
      population: query.population,
      at,
      asOf,
    });
    return { service: serviceId, at: toIso(at), asOf: toIso(asOf), ...result };
  }

  /**
   * The JSON of `forService` for the plain question "now" (at = asOf = now), byte for byte. The
   * answer stays the same until the plan is rebuilt or the next instant at which it can change
   * (`liveAnswerValidUntil`), so it is computed once per span and only its instants are filled in.
   */
  async liveJson(principal: Principal, serviceId: string, population?: string): Promise<string> {
    assertCanSee(principal, serviceId);
    return this.liveJsonFrom(await this.snapshot.current(), serviceId, population);
  }

  /** As `liveJson`, without waiting: null when the snapshot must be rebuilt first. */
  liveJsonIfFresh(principal: Principal, serviceId: string, population?: string): string | null {
    assertCanSee(principal, serviceId);
    const plan = this.snapshot.peek();
    return plan === null ? null : this.liveJsonFrom(plan, serviceId, population);
  }

  private liveJsonFrom(plan: CompiledPlan, serviceId: string, population: string | undefined): string {
    const now = this.clock.nowMs();
    const key = population === undefined ? serviceId : `${serviceId}?${population}`;
    let kept = this.live.get(key);
    if (kept === undefined || kept.plan !== plan || now < kept.from || now >= kept.until) {
      kept = this.keepLiveAnswer(plan, serviceId, population, now);
      this.live.set(key, kept);
    }
    if (kept.lastMs !== now) {
      const instant = JSON.stringify(new Date(now).toISOString());
      kept.lastMs = now;
      kept.lastJson = `${kept.head}${instant},"asOf":${instant},${kept.tail}`;
    }
    return kept.lastJson;
  }

  private keepLiveAnswer(
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

export function assertCanSee(principal: Principal, serviceId: string): void {
  if (!canSeeService(principal, serviceId)) {
    throw new DomainError(ErrorCode.Forbidden, `this token is not scoped to service '${serviceId}'`);
  }
}

/** The service asked about, once it and the population asked for are known: else 404 / 400. */
function knownService(
  plan: CompiledPlan,
  serviceId: string,
  population: string | undefined,
): CompiledService {
  const service = plan.services.get(serviceId);
  if (!service) {
    throw DomainError.notFound('service', serviceId);
  }
  if (population !== undefined) {
    assertKnownPopulation(plan, population);
  }
  return service;
}

function assertKnownPopulation(plan: CompiledPlan, population: string): void {
  if (!plan.policies.some((p) => p.policy.populations.includes(population))) {
    throw DomainError.validation([
      { field: 'population', message: `no policy has population '${population}'` },
    ]);
  }
}
