import { GroupBatcher } from '@stepwise/common/group-batcher';
import { StoredUnknownError } from './was-stored';

/** Stores a group's events in one transaction; resolves once it has committed. */
export type GroupWriter<T> = (entries: readonly T[]) => Promise<void>;

/** Keeps one transaction's COPY (and its hold on the head row) reasonably small. */
export const MAX_GROUP_EVENTS = 2000;

/** One group commits while the next one is hashed and sent behind it (see CopyAppender). */
export const GROUPS_IN_FLIGHT = 2;

/**
 * Group commit for events with no change of their own (refusals, worker outcomes). Every append
 * to the chain serialises on the head row, so one transaction per event caps throughput at one
 * commit (one WAL flush) per event. Here appends that arrive while a commit is in flight wait and
 * go together in the next transaction; each caller is answered only after that transaction has
 * committed, so an event is durable before its caller hears back. One bad event (jsonb refusing
 * a NUL, say) must not fail its neighbours: a failed group is retried one append at a time.
 * Should a group's connection be lost with its answer, the appender learns whether it was
 * stored before sending it again (see wasStored); when even that cannot be told, the group's
 * callers fail and nothing is sent again, since it may be stored already.
 */
export class AuditGroupCommit<T> {
  /** Each caller's failure, if its group's fate is unknown; otherwise the group fails or not as a whole. */
  private readonly batcher: GroupBatcher<readonly T[], StoredUnknownError | null>;

  constructor(write: GroupWriter<T>) {
    this.batcher = new GroupBatcher<readonly T[], StoredUnknownError | null>({
      run: async (appends) => {
        try {
          await write(appends.flat());
          return appends.map(() => null);
        } catch (error) {
          // Not retried one append at a time: the group may be stored already.
          if (error instanceof StoredUnknownError) {
            return appends.map(() => error);
          }
          throw error;
        }
      },
      maxGroup: MAX_GROUP_EVENTS,
      sizeOf: (entries) => entries.length,
      inFlight: GROUPS_IN_FLIGHT,
    });
  }

  async submit(entries: readonly T[]): Promise<void> {
    const unknown = await this.batcher.submit(entries);
    if (unknown !== null) {
      throw unknown;
    }
  }
}
