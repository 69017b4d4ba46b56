/**
 * Sign-in attempts per address in fixed one-minute windows, in this process. Sign-ins are rare and
 * each costs the provider a round trip, so a per-instance count is enough to stop a loop or a
 * guesser; it needs no Redis round trip on the way in.
 */
export class SignInLimiter {
  private window = -1;
  private readonly counts = new Map<string, number>();

  allow(address: string, perMinute: number, nowMs: number): boolean {
    const window = Math.floor(nowMs / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const count = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, count);
    return count <= perMinute;
  }
}
