const WINDOW_MS = 60_000;
const SWEEP_AT = 10_000;

/**
 * Requests per token per minute for hot reads, counted in this process without waiting: a window
 * opens at a token's first request and closes a minute later, as the throttler's does.
 */
export class HotReadLimiter {
  private readonly windows = new Map<string, { opened: number; hits: number }>();

  constructor(
    private readonly perMinute: number,
    // A window is a duration: the monotonic clock, which a wall-clock step cannot stretch or cut.
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one request of `tokenId`; true when it is over the limit (never, with a limit of 0: off). */
  over(tokenId: string): boolean {
    if (this.perMinute <= 0) {
      return false;
    }
    const now = this.now();
    let window = this.windows.get(tokenId);
    if (window === undefined || now - window.opened >= WINDOW_MS) {
      if (this.windows.size >= SWEEP_AT) {
        this.sweep(now);
      }
      window = { opened: now, hits: 0 };
      this.windows.set(tokenId, window);
    }
    window.hits += 1;
    return window.hits > this.perMinute;
  }

  /** Whole seconds until `tokenId`'s window closes (at least 1): a 429's Retry-After. */
  retryAfterSeconds(tokenId: string): number {
    const window = this.windows.get(tokenId);
    const left = window === undefined ? 0 : window.opened + WINDOW_MS - this.now();
    return Math.max(1, Math.ceil(left / 1000));
  }

  private sweep(now: number): void {
    for (const [tokenId, window] of this.windows) {
      if (now - window.opened >= WINDOW_MS) {
        this.windows.delete(tokenId);
      }
    }
  }
}
