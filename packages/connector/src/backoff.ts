export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** In [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

/**
 * Delay before attempt `failures + 1`: exponential with full jitter, uniform in
 * [0, min(maxMs, baseMs * 2 ** (failures - 1))], so a fleet that failed together does not come
 * back in one wave. Zero failures: no delay.
 */
export function backoffDelayMs(failures: number, options: BackoffOptions = {}): number {
  if (failures <= 0) {
    return 0;
  }
  const baseMs = options.baseMs ?? 1_000;
  const maxMs = options.maxMs ?? 300_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 40));
  return Math.floor(random() * ceiling);
}
