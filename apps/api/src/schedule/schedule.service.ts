import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import { canSeeService, Principal } from '@stepwise/common/principal';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { toIso } from '@stepwise/domain/dates';
import { liveTransitions } from '@stepwise/domain/transitions';
import { PlanSnapshot } from '@stepwise/enforcement/plan-snapshot';
import { readInstantParams } from '../requirements/query-instants';
import { assertCanSee } from '../requirements/requirements.service';
import type { ScheduleDto, ScheduleQueryDto, TransitionDto } from './schedule.dto';

const DAY_MS = 86_400_000;
const DEFAULT_WINDOW_MS = 365 * DAY_MS;
const MAX_WINDOW_MS = 5 * 366 * DAY_MS;
/** Where a calendar's count of repeated transitions starts: before any plan. */
const TIMELINE_START = 0;

/** Every transition of every service the caller may see, on the live timeline, in a window. */
@Injectable()
export class ScheduleService {
  private readonly zone: string;

  constructor(
    private readonly snapshot: PlanSnapshot,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.zone = config.get('STEPWISE_TIMEZONE', { infer: true });
  }

  async transitions(principal: Principal, query: ScheduleQueryDto): Promise<ScheduleDto> {
    const { from, to } = this.window(query);
    return { from: toIso(from), to: toIso(to), transitions: await this.collect(principal, query, from, to) };
  }

  /**
   * The window's transitions for a calendar, and every earlier one: a calendar names a repeated
   * transition by its place in the whole timeline, which must not depend on where the window starts.
   */
  async calendar(
    principal: Principal,
    query: ScheduleQueryDto,
  ): Promise<{ schedule: ScheduleDto; earlier: TransitionDto[] }> {
    const { from, to } = this.window(query);
    const all = await this.collect(principal, query, TIMELINE_START, to);
    const inWindow = (t: TransitionDto) => Date.parse(t.at) >= from;
    return {
      schedule: { from: toIso(from), to: toIso(to), transitions: all.filter(inWindow) },
      earlier: all.filter((t) => !inWindow(t)),
    };
  }

  private window(query: ScheduleQueryDto): { from: number; to: number } {
    const now = this.clock.now().toMillis();
    const { from } = readInstantParams(query, { from: now }, this.zone);
    const { to } = readInstantParams(query, { to: from + DEFAULT_WINDOW_MS }, this.zone);
    if (to < from) {
      throw DomainError.validation([{ field: 'to', message: 'must not be before from' }]);
    }
    if (to - from > MAX_WINDOW_MS) {
      throw DomainError.validation([{ field: 'to', message: 'window is over 5 years' }]);
    }
    return { from, to };
  }

  private async collect(
    principal: Principal,
    query: ScheduleQueryDto,
    from: number,
    to: number,
  ): Promise<TransitionDto[]> {
    if (query.service !== undefined) {
      assertCanSee(principal, query.service);
    }
    const plan = await this.snapshot.current();
    if (query.service !== undefined && !plan.services.has(query.service)) {
      throw DomainError.notFound('service', query.service);
    }
    const transitions: TransitionDto[] = [];
    for (const [id, service] of plan.services) {
      if (query.service !== undefined ? id !== query.service : !canSeeService(principal, id)) {
        continue;
      }
      for (const t of liveTransitions({ policies: plan.policies, service, from, to })) {
        transitions.push({
          service: id,
          policy: t.policy,
          population: t.population,
          at: t.at,
          from: t.from,
          to: t.to,
          revision: t.revision,
          source: t.source,
        });
      }
    }
    transitions.sort((a, b) => a.at.localeCompare(b.at) || a.service.localeCompare(b.service));
    return transitions;
  }
}
