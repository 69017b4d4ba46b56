import { HotReadLimiter } from './hot-read-limiter';

describe(HotReadLimiter.name, () => {
  let now: number;
  let sut: HotReadLimiter;

  beforeEach(() => {
    now = 1_000_000;
    sut = new HotReadLimiter(3, () => now);
  });

  it('lets a token make its limit of requests in a minute, and refuses the next', () => {
    expect([sut.over('a'), sut.over('a'), sut.over('a'), sut.over('a')]).toEqual([false, false, false, true]);
  });

  it('never refuses with a limit of 0 (throttling off)', () => {
    const off = new HotReadLimiter(0, () => now);
    expect(Array.from({ length: 5 }, () => off.over('a'))).toEqual([false, false, false, false, false]);
  });

  it('counts tokens apart', () => {
    for (let i = 0; i < 3; i += 1) {
      sut.over('a');
    }
    expect(sut.over('b')).toBe(false);
    expect(sut.over('a')).toBe(true);
  });

  it('opens a new window a minute after the first request', () => {
    for (let i = 0; i < 4; i += 1) {
      sut.over('a');
    }
    now += 59_999;
    expect(sut.over('a')).toBe(true);
    now += 1;
    expect(sut.over('a')).toBe(false);
  });

  it('tells how many whole seconds remain until the window closes', () => {
    for (let i = 0; i < 4; i += 1) {
      sut.over('a');
    }
    expect(sut.retryAfterSeconds('a')).toBe(60);
    now += 59_001;
    expect(sut.retryAfterSeconds('a')).toBe(1);
    expect(sut.retryAfterSeconds('never-seen')).toBe(1);
  });

  it('keeps counting correctly after forgetting thousands of expired windows', () => {
    for (let i = 0; i < 10_000; i += 1) {
      sut.over(`token-${i}`);
    }
    now += 60_000;
    for (let i = 0; i < 3; i += 1) {
      expect(sut.over('fresh')).toBe(false);
    }
    expect(sut.over('fresh')).toBe(true);
    expect(sut.over('token-1')).toBe(false);
  });
});
