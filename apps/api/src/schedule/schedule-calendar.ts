import { createHash } from 'node:crypto';
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { ScheduledTransitionDto } from './schedule.dto';

const EVENT_MINUTES = 15;

const sourceKey = (t: ScheduledTransitionDto): string =>
  t.source.kind === 'phase'
    ? `phase:${t.source.phase}`
    : t.source.kind === 'rule'
      ? `rule:${t.source.rule}`
      : t.source.kind === 'postponement'
        ? `postponement:${t.source.postponement}`
        : t.source.kind;

/**
 * The UID names the transition by what causes it, not by its instant, so when a phase is moved
 * to another date calendar clients update the event instead of adding a second one.
 */
function uid(t: ScheduledTransitionDto, seen: Set<string>): string {
  const base = createHash('sha256')
    .update([t.service, t.policy, t.population, sourceKey(t), t.to].join('|'))
    .digest('hex')
    .slice(0, 32);
  const id = seen.has(base) ? `${base}-${Date.parse(t.at)}` : base;
  seen.add(base);
  return `${id}@stepwise`;
}

/**
 * The window's transitions as an iCalendar feed: one event per transition (a feed is not paged:
 * calendar clients read it whole). `earlier` are the transitions before the window: a cause that fired before keeps its plain UID on that first firing, so a later
 * one is named by its instant whichever window is asked for.
 */
export function scheduleCalendar(
  transitions: readonly ScheduledTransitionDto[],
  earlier: readonly ScheduledTransitionDto[] = [],
): string {
  const calendar = ical({
    name: 'Stepwise: policy transitions',
    method: ICalCalendarMethod.PUBLISH,
    prodId: '//Stepwise//Schedule//EN',
  });
  const seen = new Set<string>();
  for (const t of earlier) {
    uid(t, seen);
  }
  for (const t of transitions) {
    const start = new Date(t.at);
    calendar.createEvent({
      id: uid(t, seen),
      start,
      end: new Date(start.getTime() + EVENT_MINUTES * 60_000),
      summary: `${t.service}: ${t.population} ${t.from} → ${t.to}`,
      description: `Policy ${t.policy}, revision ${t.revision ?? '-'}, caused by ${sourceKey(t)}.`,
      timezone: 'UTC',
    });
  }
  // RFC 5545 §3.1: every content line ends with CRLF, the last one too.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
