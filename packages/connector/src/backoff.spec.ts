import { backoffDelayMs } from './backoff';

describe(backoffDelayMs.name, () => {
  const top = () => 0.999999;

  it('doubles its ceiling per failure up to the cap, with no delay before any failure', () => {
    expect(backoffDelayMs(0, { random: top })).toBe(0);
    expect(backoffDelayMs(1, { baseMs: 100, random: top })).toBe(99);
    expect(backoffDelayMs(3, { baseMs: 100, random: top })).toBe(399);
    expect(backoffDelayMs(50, { baseMs: 100, maxMs: 5_000, random: top })).toBe(4_999);
    expect(backoffDelayMs(3, { baseMs: 100, random: () => 0 })).toBe(0);
  });
});
