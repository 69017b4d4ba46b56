import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import { pageLimit, PageRequest, toPage } from '@stepwise/common/page-cursor';
import { canSeeService, Principal } from '@stepwise/common/principal';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { toIso } from '@stepwise/domain/dates';
import { liveTransitions } from '@stepwise/domain/transitions';
import { PlanSnapshot } from '@stepwise/plan-snapshot/plan-snapshot';
import { readInstantParams } from '../requirements/query-instants';
import { assertCanSee } from '../requirements/requirements.service';
import {
  comparePositions,
  positionOf,
  SCHEDULE_CURSOR,
  ScheduleEntry,
  ScheduleKey,
} from './schedule-position';
import type { ScheduleDto, ScheduleQueryDto, ScheduledTransitionDto } from './schedule.dto';

const DAY_MS = 86_400_000;
const DEFAULT_WINDOW_MS = 365 * DAY_MS;
const MAX_WINDOW_MS = 5 * 366 * DAY_MS;
/** Where a calendar's count of repeated transitions starts: before any plan. */
const TIMELINE_START = 0;

const windowProblem = (from: number, to: number): string | null =>
  to < from ? 'must not be before from' : to - from > MAX_WINDOW_MS ? 'window is over 5 years' : null;

export interface SchedulePageQuery extends ScheduleQueryDto, PageRequest {}

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

  /**
   * One page of the window's transitions in (instant, service, policy, population) order. The
   * cursor carries the window, so following it walks one window even when `from` defaulted to a
   * "now" that has moved on; a cursor sent with another from or to is a 400 naming `cursor`.
   */
  async transitions(principal: Principal, query: SchedulePageQuery): Promise<ScheduleDto> {
    const after = query.cursor === undefined ? undefined : SCHEDULE_CURSOR.decode(query.cursor);
    const { from, to } = after === undefined ? this.window(query) : this.cursorWindow(query, after);
    const all = await this.collect(principal, query.service, from, to);
    const rest =
      after === undefined ? all : all.filter((entry) => comparePositions(entry, positionOf(after)) > 0);
    const page = toPage(
      rest,
      pageLimit(query),
      (entry) => entry.transition,
      (last) => SCHEDULE_CURSOR.encode([from, to, last.atMs, last.service, last.policy, last.population]),
    );
    return { from: toIso(from), to: toIso(to), ...page };
  }

  /**
   * The window's transitions for a calendar, and every earlier one: a calendar names a repeated
   * transition by its place in the whole timeline, which must not depend on where the window starts.
   */
  async calendar(
    principal: Principal,
    query: ScheduleQueryDto,
  ): Promise<{ transitions: ScheduledTransitionDto[]; earlier: ScheduledTransitionDto[] }> {
    const { from, to } = this.window(query);
    const all = await this.collect(principal, query.service, TIMELINE_START, to);
    return {
      transitions: all.filter((entry) => entry.atMs >= from).map((entry) => entry.transition),
      earlier: all.filter((entry) => entry.atMs < from).map((entry) => entry.transition),
    };
  }

  /** The window a cursor was given for; from and to, if sent as well, must name the same one. */
  private cursorWindow(query: ScheduleQueryDto, [from, to]: ScheduleKey): { from: number; to: number } {
    const refuse = (message: string) => DomainError.validation([{ field: 'cursor', message }]);
    // A window no request could have asked for was not given out by this list.
    if (windowProblem(from, to) !== null) {
      throw refuse('malformed cursor; pass nextCursor as returned');
    }
    const asked = readInstantParams(query, { from, to }, this.zone);
    if (asked.from !== from || asked.to !== to) {
      throw refuse('was given for another window: send the same from and to, or neither');
    }
    return { from, to };
  }

  private window(query: ScheduleQueryDto): { from: number; to: number } {
    const now = this.clock.now().toMillis();
    const { from } = readInstantParams(query, { from: now }, this.zone);
    const { to } = readInstantParams(query, { to: from + DEFAULT_WINDOW_MS }, this.zone);
    const problem = windowProblem(from, to);
    if (problem !== null) {
      throw DomainError.validation([{ field: 'to', message: problem }]);
    }
    return { from, to };
  }

  private async collect(
    principal: Principal,
    onlyService: string | undefined,
    from: number,
    to: number,
  ): Promise<ScheduleEntry[]> {
    if (onlyService !== undefined) {
      assertCanSee(principal, onlyService);
    }
    const plan = await this.snapshot.current();
    if (onlyService !== undefined && !plan.services.has(onlyService)) {
      throw DomainError.notFound('service', onlyService);
    }
    const entries: ScheduleEntry[] = [];
    for (const [id, service] of plan.services) {
      if (onlyService !== undefined ? id !== onlyService : !canSeeService(principal, id)) {
        continue;
      }
      for (const t of liveTransitions({ policies: plan.policies, service, from, to })) {
        entries.push({
          atMs: t.atMs,
          service: id,
          policy: t.policy,
          population: t.population,
          transition: {
            service: id,
            policy: t.policy,
            population: t.population,
            at: t.at,
            from: t.from,
            to: t.to,
            revision: t.revision,
            source: t.source,
          },
        });
      }
    }
    return entries.sort(comparePositions);
  }
}
