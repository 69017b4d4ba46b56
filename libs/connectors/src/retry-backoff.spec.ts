import { createRetryBackoffStrategy, retryDelayMs } from './retry-backoff';

describe(retryDelayMs.name, () => {
  const almostOne = () => 0.999_999;

  it('doubles the ceiling with each attempt, starting at baseMs', () => {
    const ceilings = [1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, { random: almostOne }));
    expect(ceilings).toEqual([999, 1999, 3999, 7999, 15999]);
  });

  it('never exceeds maxMs, even after very many attempts', () => {
    expect(retryDelayMs(30, { random: almostOne })).toBe(3_599_996);
    expect(retryDelayMs(10_000, { random: almostOne, maxMs: 60_000 })).toBe(59_999);
    expect(Number.isFinite(retryDelayMs(Number.MAX_SAFE_INTEGER))).toBe(true);
  });

  it('jitters uniformly from zero (full jitter)', () => {
    expect(retryDelayMs(4, { random: () => 0 })).toBe(0);
    expect(retryDelayMs(4, { random: () => 0.5, baseMs: 100 })).toBe(400);
  });

  it('stays within [0, ceiling] with the real random source', () => {
    for (let index = 0; index < 200; index++) {
      const delay = retryDelayMs(3, { baseMs: 1000 });
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(4000);
    }
  });

  it('treats attempt counts below one as the first attempt', () => {
    expect(retryDelayMs(0, { random: almostOne })).toBe(999);
  });
});

describe(createRetryBackoffStrategy.name, () => {
  it('ignores the extra arguments BullMQ passes', () => {
    const strategy = createRetryBackoffStrategy({ baseMs: 10, random: () => 0.5 }) as (
      ...args: unknown[]
    ) => number;
    expect(strategy(3, 'custom', new Error('HTTP 500'), {})).toBe(20);
  });
});
