import { DateTime } from 'luxon';
import type { CompiledPolicy } from './compiled-plan';
import type { CompiledService } from './compiled-service';
import type { Level } from './plan.types';
import type { RequirementSource } from './requirement.types';
import { liveTransitions } from './transitions';
import { upcomingChanges } from './upcoming';

// Notices (issue 21): for every upcoming transition of a service on the live timeline, a message
// at each lead time, sent at the policy's local hour. Pure: the worker stores what this returns in
// the outbox, keyed so that each notice is sent once however often it is planned.

export interface NoticeSettings {
  /** Days before the transition, e.g. [30, 7, 1]. */
  leadDays: readonly number[];
  /** Local hour and minute in the policy's zone, `HH:MM`. */
  sendAt: string;
}

export const DEFAULT_NOTICE_SETTINGS: NoticeSettings = { leadDays: [30, 7, 1], sendAt: '09:00' };

export type PlannedNoticeKind = 'upcoming' | 'tentative';

export interface PlannedNotice {
  policy: string;
  service: string;
  kind: PlannedNoticeKind;
  /** The confirmed instant (ms), or null for a tentative target. */
  transitionAt: number | null;
  tentative: string | null;
  level: Level;
  /** The level before (null for a tentative target: not known until it is dated). */
  fromLevel: Level | null;
  /** `phase:<key>`, `rule:<on>` or `statement`: what causes the transition. */
  cause: string;
  populations: string[];
  revision: number;
  /** The lead time this notice belongs to; null for a tentative announcement. */
  leadDays: number | null;
  /** When to send (ms). */
  dueAt: number;
  /**
   * A lead time already past when a nearer one is past too: still part of the plan (a notice sent
   * for it stays valid), but never sent now.
   */
  passed: boolean;
}

export const causeOf = (source: RequirementSource): string =>
  source.kind === 'phase'
    ? `phase:${source.phase}`
    : source.kind === 'rule'
      ? `rule:${source.rule}`
      : source.kind;

/** The outbox key of DESIGN: (policy, service, transition instant or target, level, lead time). */
export function noticeKey(
  notice: Pick<PlannedNotice, 'policy' | 'service' | 'transitionAt' | 'tentative' | 'level' | 'leadDays'>,
): string {
  const when =
    notice.transitionAt === null ? `tentative:${notice.tentative ?? ''}` : String(notice.transitionAt);
  return [notice.policy, notice.service, when, notice.level, notice.leadDays ?? 'once'].join('|');
}

/** The transition a notice is about, whatever its lead time. */
export function transitionKey(
  notice: Pick<PlannedNotice, 'policy' | 'service' | 'transitionAt' | 'tentative' | 'level' | 'cause'>,
): string {
  const when =
    notice.transitionAt === null ? `tentative:${notice.tentative ?? ''}` : String(notice.transitionAt);
  return [notice.policy, notice.service, when, notice.level, notice.cause].join('|');
}

/** `at - lead days`, on the transition's local date, at the policy's hour. */
export function leadDueAt(transitionAt: number, leadDays: number, zone: string, sendAt: string): number {
  const [hour, minute] = sendAt.split(':').map(Number);
  return DateTime.fromMillis(transitionAt, { zone })
    .startOf('day')
    .minus({ days: leadDays })
    .set({ hour, minute, second: 0, millisecond: 0 })
    .toMillis();
}

/** How far ahead the live timeline is read for notices. */
const HORIZON_MS = 5 * 366 * 86_400_000;

function confirmedNotices(
  policy: CompiledPolicy,
  service: CompiledService,
  settings: NoticeSettings,
  now: number,
): PlannedNotice[] {
  const groups = new Map<string, PlannedNotice>();
  for (const transition of liveTransitions({
    policies: [policy],
    service,
    from: now + 1,
    to: now + HORIZON_MS,
  })) {
    if (transition.revision === null) {
      continue;
    }
    const cause = causeOf(transition.source);
    const key = `${transition.atMs}|${transition.to}|${cause}`;
    const found = groups.get(key);
    if (found !== undefined) {
      found.populations.push(transition.population);
      continue;
    }
    groups.set(key, {
      policy: policy.policy.id,
      service: service.id,
      kind: 'upcoming',
      transitionAt: transition.atMs,
      tentative: null,
      level: transition.to,
      fromLevel: transition.from,
      cause,
      populations: [transition.population],
      revision: transition.revision,
      leadDays: null,
      dueAt: now,
      passed: false,
    });
  }
  const notices: PlannedNotice[] = [];
  const leads = [...new Set(settings.leadDays)].sort((a, b) => b - a);
  for (const transition of groups.values()) {
    const at = transition.transitionAt ?? now;
    // Leads already past when planned: only the nearest one is sent, at once.
    const past: number[] = [];
    for (const lead of leads) {
      const due = leadDueAt(at, lead, policy.policy.timezone, settings.sendAt);
      if (due <= now) {
        past.push(lead);
      } else {
        notices.push({ ...transition, populations: [...transition.populations], leadDays: lead, dueAt: due });
      }
    }
    past.forEach((lead, index) => {
      const passed = index < past.length - 1;
      notices.push({
        ...transition,
        populations: [...transition.populations],
        leadDays: lead,
        dueAt: now,
        passed,
      });
    });
  }
  return notices;
}

function tentativeNotices(policy: CompiledPolicy, service: CompiledService, now: number): PlannedNotice[] {
  // Most plans have no active tentative phase: then there is nothing to announce, and no need to walk the timeline again.
  if (
    !policy.revisions.some((revision) =>
      revision.phases.some((phase) => phase.active && phase.tentative !== null),
    )
  ) {
    return [];
  }
  const groups = new Map<string, PlannedNotice>();
  const populations = policy.policy.populations;
  for (const { entry } of upcomingChanges(policy, service, populations, now, now)) {
    if (entry.at !== null || entry.tentative === null || entry.phase === undefined) {
      continue;
    }
    const key = `${entry.tentative}|${entry.level}|${entry.phase}`;
    const found = groups.get(key);
    if (found !== undefined) {
      found.populations.push(entry.population);
      continue;
    }
    groups.set(key, {
      policy: policy.policy.id,
      service: service.id,
      kind: 'tentative',
      transitionAt: null,
      tentative: entry.tentative,
      level: entry.level,
      fromLevel: null,
      cause: `phase:${entry.phase}`,
      populations: [entry.population],
      revision: entry.revision,
      leadDays: null,
      dueAt: now,
      passed: false,
    });
  }
  return [...groups.values()];
}

/**
 * The notices the live timeline calls for now: each confirmed transition after `now` at every
 * lead time still ahead (the nearest one already past, at once), and each tentative target
 * announced once, at once.
 */
export function planNotices(
  policy: CompiledPolicy,
  service: CompiledService,
  settings: NoticeSettings,
  now: number,
): PlannedNotice[] {
  return [...confirmedNotices(policy, service, settings, now), ...tentativeNotices(policy, service, now)];
}
