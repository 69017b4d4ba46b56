import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';

/**
 * The process's webhook sends in flight, at most STEPWISE_DELIVERY_CONCURRENCY, first come first
 * served, whichever job (a fan-out batch or a single retry) they belong to. A send takes its slot
 * before it is recorded and gives it back once the receiver answered, so a slot is never held
 * by a send that is waiting for nothing but the database.
 */
@Injectable()
export class SendSlots {
  readonly size: number;
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    this.size = config.get('STEPWISE_DELIVERY_CONCURRENCY', { infer: true });
    this.free = this.size;
  }

  /** Resolves with the function that gives the slot back (call it exactly once). */
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    };
  }
}
