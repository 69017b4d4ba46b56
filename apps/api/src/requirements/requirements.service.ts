import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { canSeeService, Principal } from '@stepwise/common/principal';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { toIso } from '@stepwise/domain/dates';
import type { CompiledService } from '@stepwise/domain/compiled-service';
import { resolveRequirements } from '@stepwise/domain/resolve';
import { type CompiledPlan, PlanSnapshot } from '@stepwise/plan-snapshot/plan-snapshot';
import { readInstantParams } from './query-instants';
import type { RequirementsAnswerDto, RequirementsQueryDto } from './requirements.dto';

/** "What must my system require at `at`, as the plan stood at `asOf`, and what changes next?" */
@Injectable()
export class RequirementsService {
  private readonly zone: string;
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
}

export function assertCanSee(principal: Principal, serviceId: string): void {
  if (!canSeeService(principal, serviceId)) {
    throw new DomainError(ErrorCode.Forbidden, `this token is not scoped to service '${serviceId}'`);
  }
}

/** The service asked about, once it and the population asked for are known: else 404 / 400. */
export function knownService(
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
