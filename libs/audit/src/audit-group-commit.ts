import { DataSource, EntityManager } from 'typeorm';

/** Writes a group's events inside the transaction it is given. */
export type GroupWriter<T> = (manager: EntityManager, entries: readonly T[]) => Promise<void>;

interface PendingAppend<T> {
  entries: readonly T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Keeps one transaction's arrays (and its hold on the head row) reasonably small. */
export const MAX_GROUP_EVENTS = 2000;

/**
 * Group commit for events with no change of their own (refusals, worker outcomes). Every append
 * to the chain serialises on the head row, so one transaction per event caps throughput at one
 * commit (one WAL flush) per event. Here appends that arrive while a commit is in flight wait and
 * go together in the next transaction; each caller is answered only after that transaction has
 * committed, so an event is durable before its caller hears back. One bad event (jsonb refusing
 * a NUL, say) must not fail its neighbours: a failed group is retried one append at a time.
 * (Should a COMMIT's acknowledgement itself be lost, the retry could record an event twice:
 * visible by its request id, and never a fork, since every retry re-reads the head.)
 */
export class AuditGroupCommit<T> {
  private readonly queue: PendingAppend<T>[] = [];
  private draining = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly write: GroupWriter<T>,
  ) {}

  submit(entries: readonly T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) await this.commit(this.takeGroup());
    } finally {
      this.draining = false;
    }
  }

  private takeGroup(): PendingAppend<T>[] {
    let count = 0;
    let taken = 0;
    while (
      taken < this.queue.length &&
      (taken === 0 || count + this.queue[taken].entries.length <= MAX_GROUP_EVENTS)
    ) {
      count += this.queue[taken].entries.length;
      taken += 1;
    }
    return this.queue.splice(0, taken);
  }

  private async commit(group: PendingAppend<T>[]): Promise<void> {
    try {
      await this.dataSource.transaction((manager) =>
        this.write(
          manager,
          group.flatMap((append) => append.entries),
        ),
      );
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      for (const append of group) await this.commit([append]);
      return;
    }
    for (const append of group) append.resolve();
  }
}
