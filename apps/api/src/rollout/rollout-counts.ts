import type { Clock } from '@stepwise/common/clock';
import type { RolloutState } from './rollout.dto';

/** A count that took less than this is taken afresh for every page: exact, and cheap enough. */
export const CHEAP_COUNT_MS = 20;
/** A costly count is taken again, in the background, once it is this old… */
export const RECOUNT_AFTER_MS = 5_000;
/** …and never served older than this: past it, a page waits for a fresh one. */
export const SERVE_UP_TO_MS = 60_000;

export interface CountedStates {
  counts: Map<RolloutState, number>;
  /** Epoch ms at which the count began: it holds every change committed before then. */
  countedAt: number;
}

interface Kept extends CountedStates {
  tookMs: number;
}

/**
 * The rollout's counts by state, of every service. Counting means joining the whole directory to
 * its rules documents: a few milliseconds for the hundreds of services of one university, 280 ms
 * at 100,000 (docs/benchmarks.md), where a first page must answer in 50. So a count that proved
 * cheap is taken for every page, and a costly one is served as it was (with the instant it was
 * taken, which the answer names) while the next is taken in the background, one at a time: at
 * most RECOUNT_AFTER_MS plus one count behind under steady use, never older than SERVE_UP_TO_MS.
 */
export class RolloutCounts {
  private kept: Kept | null = null;
  private recounting: Promise<Kept> | null = null;

  constructor(
    private readonly count: () => Promise<Map<RolloutState, number>>,
    private readonly clock: Clock,
    /** A monotonic timer for how long a count takes. */
    private readonly elapsedMs: () => number = () => performance.now(),
  ) {}

  async current(): Promise<CountedStates> {
    const kept = this.kept;
    if (kept === null || kept.tookMs < CHEAP_COUNT_MS) {
      return this.take();
    }
    const age = this.clock.nowMs() - kept.countedAt;
    if (age >= SERVE_UP_TO_MS) {
      return this.recount();
    }
    if (age >= RECOUNT_AFTER_MS) {
      // A failure shows on the page that next waits for a count; this one keeps its answer.
      this.recount().catch(() => undefined);
    }
    return kept;
  }

  /** A costly count in flight serves every page that asks meanwhile. */
  private recount(): Promise<Kept> {
    this.recounting ??= this.take().finally(() => {
      this.recounting = null;
    });
    return this.recounting;
  }

  private async take(): Promise<Kept> {
    const countedAt = this.clock.nowMs();
    const started = this.elapsedMs();
    const counts = await this.count();
    const taken: Kept = { counts, countedAt, tookMs: this.elapsedMs() - started };
    // Two counts may overlap (cheap ones are not shared): keep the one that began later.
    if (this.kept === null || this.kept.countedAt <= countedAt) {
      this.kept = taken;
    }
    return taken;
  }
}
