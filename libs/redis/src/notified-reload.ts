import type { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { subscribeToChannel } from '@stepwise/redis/redis-subscriber';

export interface NotifiedReloadOptions {
  redisUrl: string;
  /** Pub/sub channel whose every message means "reload before the next answer". */
  channel: string;
  connectionName: string;
  logger: Logger;
  /** Compares the stored version with the one held; true when a reload is due (a missed notice). */
  isStale(): Promise<boolean>;
  reload(): Promise<void>;
  checkEveryMs?: number;
}

/**
 * Keeps an in-memory read model fresh: any message on its channel (every API instance subscribes)
 * marks it dirty, as does a periodic version check in case a notice was lost, and the writer's own
 * process marks it directly; the next read then waits for one reload, shared by every concurrent
 * reader. PlanSnapshot and RulesSnapshot use it.
 *
 * Marks are counted, and a read waits for a load that began after the last mark made before the
 * read: a load already under way when a change was marked may have read the state before it.
 */
export class NotifiedReload {
  /** Changes marked so far; the first "change" is that nothing is loaded yet. */
  private marked = 1;
  /** The marks the last completed load covers (it began after all of them). */
  private loadedThrough = 0;
  private loading: Promise<void> | null = null;
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: NotifiedReloadOptions) {}

  start(): void {
    const { redisUrl, channel, connectionName, logger } = this.options;
    this.subscriber = subscribeToChannel({
      redisUrl,
      channel,
      connectionName,
      logger,
      onMessage: () => this.markDirty(),
    }).connection;
    // After an outage notices may have been missed.
    this.subscriber.on('ready', () => this.markDirty());
    this.timer = setInterval(() => void this.checkVersion(), this.options.checkEveryMs ?? 2000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
    }
    this.subscriber?.disconnect();
  }

  markDirty(): void {
    this.marked += 1;
  }

  /** True when a load completed that began after every change marked so far. */
  isFresh(): boolean {
    return this.loadedThrough === this.marked;
  }

  /** Returns once a load that began after every change marked before this call has completed. */
  async ensureFresh(): Promise<void> {
    const wanted = this.marked;
    while (this.loadedThrough < wanted) {
      this.loading ??= this.load();
      await this.loading;
    }
  }

  private load(): Promise<void> {
    const through = this.marked;
    return this.options
      .reload()
      .then(() => {
        this.loadedThrough = Math.max(this.loadedThrough, through);
      })
      .finally(() => {
        this.loading = null;
      });
  }

  private async checkVersion(): Promise<void> {
    if (!this.isFresh()) {
      return;
    }
    try {
      if (await this.options.isStale()) {
        this.markDirty();
      }
    } catch (error) {
      this.options.logger.warn(`version check failed: ${String(error)}`);
    }
  }
}
