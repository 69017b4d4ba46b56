import { PageCursor } from '@stepwise/common/page-cursor';
import type { ScheduledTransitionDto } from './schedule.dto';

/** A cursor's key: the window, then the last transition's instant, service, policy, population. */
export type ScheduleKey = [number, number, number, string, string, string];
export const SCHEDULE_CURSOR = new PageCursor('schedule', [
  'number',
  'number',
  'number',
  'string',
  'string',
  'string',
]);

/** Where a transition sits in the schedule's order. */
export interface SchedulePosition {
  atMs: number;
  service: string;
  policy: string;
  population: string;
}

export interface ScheduleEntry extends SchedulePosition {
  transition: ScheduledTransitionDto;
}

export const positionOf = ([, , atMs, service, policy, population]: ScheduleKey): SchedulePosition => ({
  atMs,
  service,
  policy,
  population,
});

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The schedule's one order, total: one level change per service, policy and population at an instant. */
export function comparePositions(a: SchedulePosition, b: SchedulePosition): number {
  return (
    a.atMs - b.atMs ||
    byCodeUnits(a.service, b.service) ||
    byCodeUnits(a.policy, b.policy) ||
    byCodeUnits(a.population, b.population)
  );
}
