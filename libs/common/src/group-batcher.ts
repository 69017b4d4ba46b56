interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
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
 * A group is taken one event-loop turn (`setImmediate`) after there is work and no group in
 * flight, never at once: the callers a finished group answers run their continuations first and
 * most submit again in that turn, so they form one group. Started synchronously, the first of
 * them would go alone and the rest would wait for it, groups alternating 1 and n-1.
 */
export class GroupBatcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  /** A group is in flight, or one is about to be taken. */
  private busy = false;

  constructor(
    private readonly run: (inputs: readonly I[]) => Promise<O[]>,
    private readonly keyOf: ((input: I) => string) | null,
    private readonly maxGroup = 500,
    private readonly sizeOf: (input: I) => number = () => 1,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.gather();
    });
  }

  /** Takes the next group once the current turn's submits are in. */
  private gather(): void {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    setImmediate(() => void this.runNextGroup());
  }

  private async runNextGroup(): Promise<void> {
    try {
      await this.commit(this.takeGroup());
    } finally {
      this.busy = false;
      this.gather();
    }
  }

  private takeGroup(): Pending<I, O>[] {
    const keys = new Set<string>();
    const group: Pending<I, O>[] = [];
    const later: Pending<I, O>[] = [];
    let size = 0;
    let full = false;
    for (const pending of this.queue.splice(0)) {
      const key = this.keyOf?.(pending.input);
      const weight = this.sizeOf(pending.input);
      // The first input always goes, however large; once one does not fit, the rest wait.
      if (!full && group.length > 0 && size + weight > this.maxGroup) full = true;
      if (full || (key !== undefined && keys.has(key))) later.push(pending);
      else {
        if (key !== undefined) keys.add(key);
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
      if (group.length === 1) return group[0].reject(error);
      for (const pending of group) await this.commit([pending]);
      return;
    }
    group.forEach((pending, index) => pending.resolve(outputs[index]));
  }
}
