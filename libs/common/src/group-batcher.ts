interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupBatcherOptions<I, O> {
  /** Runs one group: one output per input, in the same order. */
  run: (inputs: readonly I[]) => Promise<O[]>;
  /** At most one input per key in a group; none (the default): inputs never collide. */
  keyOf?: ((input: I) => string) | null;
  /** The most a group weighs (default 500). */
  maxGroup?: number;
  /** What an input weighs (default 1). */
  sizeOf?: (input: I) => number;
  /** Groups at once (default 1; more only without keys). */
  inFlight?: number;
}

/**
 * Runs many small database operations as few set-based statements: calls made while a group is
 * in flight wait and go together in the next group, and each caller hears back only after its
 * group finished (so a commit is durable before anyone relies on it). With `keyOf`, at most one
 * input per key goes in a group (a second one waits for the next), so a statement never meets a
 * row twice. A group holds inputs in arrival order up to `maxGroup` (each weighing `sizeOf`, 1 by
 * default). A failed group is retried one input at a time so that one bad input fails only its
 * own caller. Used by the audit log's group commit and by the enforcement writers.
 *
 * A group is taken one event-loop turn (`setImmediate`) after there is work and room for a group,
 * never at once: the callers a finished group answers run their continuations first and most
 * submit again in that turn, so they form one group. Started synchronously, the first of them
 * would go alone and the rest would wait for it, groups alternating 1 and n-1.
 *
 * With `inFlight` > 1 (inputs without keys only), groups overlap: while one is with the database,
 * the next forms and starts. A group taken while none is in flight takes only half of the waiting
 * inputs and the other half starts at once, so that closed-loop callers (each waiting for its
 * answer before calling again) settle into groups that overlap rather than one group that always
 * runs alone. Groups start in arrival order; the runner decides in which order they finish.
 */
export class GroupBatcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  /** Groups running now. */
  private running = 0;
  /** A group is about to be taken. */
  private scheduled = false;

  private readonly run: (inputs: readonly I[]) => Promise<O[]>;
  private readonly keyOf: ((input: I) => string) | null;
  private readonly maxGroup: number;
  private readonly sizeOf: (input: I) => number;
  private readonly inFlight: number;

  constructor(options: GroupBatcherOptions<I, O>) {
    this.run = options.run;
    this.keyOf = options.keyOf ?? null;
    this.maxGroup = options.maxGroup ?? 500;
    this.sizeOf = options.sizeOf ?? (() => 1);
    this.inFlight = options.inFlight ?? 1;
    if (!Number.isSafeInteger(this.inFlight) || this.inFlight < 1) {
      throw new RangeError(`inFlight ${this.inFlight}`);
    }
    // Two groups in flight could meet the same key's row in either order.
    if (this.keyOf !== null && this.inFlight !== 1) {
      throw new RangeError('keyed groups run one at a time');
    }
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.gather();
    });
  }

  /** Takes the next group once the current turn's submits are in. */
  private gather(): void {
    if (this.scheduled || this.running >= this.inFlight || this.queue.length === 0) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.runNextGroup();
    });
  }

  private async runNextGroup(): Promise<void> {
    if (this.running >= this.inFlight || this.queue.length === 0) {
      return;
    }
    const split = this.running === 0 && this.inFlight > 1;
    const limit = split ? Math.min(Math.ceil(this.queuedSize() / 2), this.maxGroup) : this.maxGroup;
    const group = this.takeGroup(limit);
    this.running += 1;
    try {
      const committed = this.commit(group);
      // The other half of a split queue starts now (after this one), while this one runs.
      if (split) {
        void this.runNextGroup();
      }
      await committed;
    } finally {
      this.running -= 1;
      this.gather();
    }
  }

  private queuedSize(): number {
    return this.queue.reduce((size, pending) => size + this.sizeOf(pending.input), 0);
  }

  private takeGroup(limit: number): Pending<I, O>[] {
    const keys = new Set<string>();
    const group: Pending<I, O>[] = [];
    const later: Pending<I, O>[] = [];
    let size = 0;
    let full = false;
    for (const pending of this.queue.splice(0)) {
      const key = this.keyOf?.(pending.input);
      const weight = this.sizeOf(pending.input);
      // The first input always goes, however large; once one does not fit, the rest wait.
      if (!full && group.length > 0 && size + weight > limit) {
        full = true;
      }
      if (full || (key !== undefined && keys.has(key))) {
        later.push(pending);
      } else {
        if (key !== undefined) {
          keys.add(key);
        }
        group.push(pending);
        size += weight;
      }
    }
    this.queue.unshift(...later);
    return group;
  }

  private async commit(group: Pending<I, O>[]): Promise<void> {
    let outputs: O[];
    try {
      outputs = await this.run(group.map((pending) => pending.input));
    } catch (error) {
      if (group.length === 1) {
        return group[0].reject(error);
      }
      for (const pending of group) {
        await this.commit([pending]);
      }
      return;
    }
    group.forEach((pending, index) => pending.resolve(outputs[index]));
  }
}
