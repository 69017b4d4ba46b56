import type { Level } from './plan.types';
import { type PlannedNotice, noticeKey, transitionKey } from './notice-plan';

// When a revision moves, suspends or cancels a transition, the notices planned for it are
// superseded and one "updated" or "cancelled" notice says what changed.

/** A notice in the outbox, not yet superseded, about a transition still ahead. */
export interface OutboxNotice {
  id: string;
  policy: string;
  service: string;
  transitionAt: number | null;
  tentative: string | null;
  level: Level;
  cause: string;
  leadDays: number | null;
}

export interface NoticeChange {
  policy: string;
  service: string;
  kind: 'updated' | 'cancelled';
  cause: string;
  level: Level;
  previousAt: number | null;
  previousTentative: string | null;
  /** Updated: where the transition went (its first one of the same cause); cancelled: null. */
  newAt: number | null;
  newTentative: string | null;
  newLevel: Level | null;
  /** The outbox rows this change supersedes. */
  supersedes: string[];
}

export interface NoticeReconciliation {
  /** Rows no longer called for (a lead time dropped, or their transition moved or went). */
  supersede: string[];
  changes: NoticeChange[];
}

const firstByTime = (a: PlannedNotice, b: PlannedNotice): number =>
  (a.transitionAt ?? Number.MAX_SAFE_INTEGER) - (b.transitionAt ?? Number.MAX_SAFE_INTEGER);

/** Compares the outbox with what the live timeline calls for now (same services and policies). */
export function reconcileNotices(
  outbox: readonly OutboxNotice[],
  desired: readonly PlannedNotice[],
): NoticeReconciliation {
  const wanted = new Set(desired.map(noticeKey));
  const wantedTransitions = new Set(desired.map(transitionKey));
  const byCause = new Map<string, PlannedNotice[]>();
  for (const notice of desired) {
    const key = `${notice.policy}|${notice.service}|${notice.cause}`;
    byCause.set(key, [...(byCause.get(key) ?? []), notice]);
  }
  const supersede: string[] = [];
  const gone = new Map<string, OutboxNotice[]>();
  for (const row of outbox) {
    if (wanted.has(noticeKey(row))) {
      continue;
    }
    supersede.push(row.id);
    const transition = transitionKey(row);
    if (!wantedTransitions.has(transition)) {
      gone.set(transition, [...(gone.get(transition) ?? []), row]);
    }
  }
  const changes: NoticeChange[] = [];
  for (const rows of gone.values()) {
    const row = rows[0];
    const successor = [...(byCause.get(`${row.policy}|${row.service}|${row.cause}`) ?? [])].sort(
      firstByTime,
    )[0];
    changes.push({
      policy: row.policy,
      service: row.service,
      kind: successor === undefined ? 'cancelled' : 'updated',
      cause: row.cause,
      level: row.level,
      previousAt: row.transitionAt,
      previousTentative: row.tentative,
      newAt: successor?.transitionAt ?? null,
      newTentative: successor?.tentative ?? null,
      newLevel: successor?.level ?? null,
      supersedes: rows.map((candidate) => candidate.id),
    });
  }
  return { supersede, changes };
}
