import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { WorkerStoppingError } from './delivery-errors';

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
  private closed = false;
  private readonly waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    this.size = config.get('STEPWISE_DELIVERY_CONCURRENCY', { infer: true });
    this.free = this.size;
  }

  /**
   * Resolves with the function that gives the slot back (call it exactly once); rejects with
   * WorkerStoppingError once the slots are closed, so a send that has not started never starts.
   */
  async acquire(): Promise<() => void> {
    if (this.closed) {
      throw new WorkerStoppingError();
    }
    if (this.free > 0) {
      this.free -= 1;
    } else {
      await new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    }
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const next = this.waiting.shift();
      if (next) {
        next.resolve();
      } else {
        this.free += 1;
      }
    };
  }

  /** Shutdown: sends in flight finish; every waiting and later acquire is refused. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) {
      waiter.reject(new WorkerStoppingError());
    }
  }
}
