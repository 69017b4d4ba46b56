export interface RetryBackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** Returns a number in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

// Beyond this the exponential term exceeds any sane cap; stops 2 ** n overflowing.
const MAX_EXPONENT = 40;

/**
 * Delay before the next attempt: exponential with full jitter, uniform in
 * [0, min(maxMs, baseMs * 2 ** (attemptsMade - 1))]. `attemptsMade` counts attempts so far
 * (BullMQ passes 1 before the first retry). Full jitter spreads retries of many services
 * that failed together, so a receiver coming back is not hit by one synchronised wave.
 */
export function retryDelayMs(attemptsMade: number, options: RetryBackoffOptions = {}): number {
  const baseMs = options.baseMs ?? 1_000;
  const maxMs = options.maxMs ?? 3_600_000;
  const random = options.random ?? Math.random;
  const exponent = Math.min(Math.max(Math.floor(attemptsMade) - 1, 0), MAX_EXPONENT);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * A BullMQ custom backoff strategy (`settings.backoffStrategy` of a Worker, with job option
 * `backoff: { type: 'custom' }`). BullMQ passes `(attemptsMade, type, error, job)`; only the
 * first is needed, and a separate function keeps `type` from landing in `options`.
 */
export function createRetryBackoffStrategy(
  options: RetryBackoffOptions = {},
): (attemptsMade: number) => number {
  return (attemptsMade) => retryDelayMs(attemptsMade, options);
}
