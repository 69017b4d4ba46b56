import { DateTime } from 'luxon';
import { FixedClock } from '@stepwise/common/clock';
import type { RolloutState } from './rollout.dto';
import { RECOUNT_AFTER_MS, RolloutCounts, SERVE_UP_TO_MS } from './rollout-counts';

const START = DateTime.fromISO('2026-12-07T00:00:00Z');

/** A count whose duration and answer the test sets; each call is recorded and held until released. */
function harness(tookMs: number) {
  const clock = new FixedClock(START);
  let elapsed = 0;
  let pending = 0;
  const counted: number[] = [];
  const releases: (() => void)[] = [];
  const count = () =>
    new Promise<Map<RolloutState, number>>((resolve) => {
      const n = counted.length + 1;
      counted.push(n);
      pending += 1;
      releases.push(() => {
        elapsed += tookMs;
        pending -= 1;
        resolve(new Map([['pending', n]]));
      });
    });
  const sut = new RolloutCounts(count, clock, () => elapsed);
  const at = (ms: number) => clock.set(START.plus({ milliseconds: ms }));
  const releaseAll = async () => {
    releases.splice(0).forEach((release) => release());
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sut, counted, at, releaseAll, pending: () => pending };
}

describe(RolloutCounts.name, () => {
  it('counts afresh for every page while counting is cheap', async () => {
    const { sut, counted, releaseAll } = harness(5);
    for (let page = 1; page <= 3; page += 1) {
      const answer = sut.current();
      await releaseAll();
      expect((await answer).counts.get('pending')).toBe(page);
    }
    expect(counted).toHaveLength(3);
  });

  it('serves a costly count as it was, with its instant, until it is old enough to take again', async () => {
    const { sut, counted, at, releaseAll } = harness(300);
    const first = sut.current();
    await releaseAll();
    expect(await first).toMatchObject({ countedAt: START.toMillis() });
    at(RECOUNT_AFTER_MS - 1);
    expect((await sut.current()).counts.get('pending')).toBe(1);
    expect(counted).toHaveLength(1);
  });

  it('takes the next costly count in the background, one at a time, answering at once meanwhile', async () => {
    const { sut, counted, at, releaseAll, pending } = harness(300);
    const first = sut.current();
    await releaseAll();
    await first;
    at(RECOUNT_AFTER_MS);
    const [a, b] = [await sut.current(), await sut.current()];
    expect([a.counts.get('pending'), b.counts.get('pending')]).toEqual([1, 1]);
    expect(pending()).toBe(1);
    await releaseAll();
    const after = await sut.current();
    expect(after).toMatchObject({ countedAt: START.toMillis() + RECOUNT_AFTER_MS });
    expect(after.counts.get('pending')).toBe(2);
    expect(counted).toHaveLength(2);
  });

  it('never serves a costly count older than the bound: the page waits for a fresh one', async () => {
    const { sut, at, releaseAll } = harness(300);
    const first = sut.current();
    await releaseAll();
    await first;
    at(SERVE_UP_TO_MS);
    const answer = sut.current();
    let settled = false;
    void answer.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    await releaseAll();
    expect((await answer).counts.get('pending')).toBe(2);
  });

  it('keeps serving the last count when a background count fails, and fails the page that must wait', async () => {
    const clock = new FixedClock(START);
    let calls = 0;
    let elapsed = 0;
    const sut = new RolloutCounts(
      async () => {
        calls += 1;
        elapsed += 300;
        if (calls > 1) {
          throw new Error('database down');
        }
        return new Map<RolloutState, number>([['in-sync', 7]]);
      },
      clock,
      () => elapsed,
    );
    await sut.current();
    clock.set(START.plus({ milliseconds: RECOUNT_AFTER_MS }));
    expect((await sut.current()).counts.get('in-sync')).toBe(7);
    clock.set(START.plus({ milliseconds: SERVE_UP_TO_MS }));
    await expect(sut.current()).rejects.toThrow('database down');
  });
});
