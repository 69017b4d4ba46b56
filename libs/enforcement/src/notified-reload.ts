import type { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { subscribeToChannel } from '@stepwise/queue/redis-subscriber';

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
 * marks it dirty, as does a periodic version check in case a notice was lost; the next read then
 * waits for one reload, shared by every concurrent reader. PlanSnapshot and RulesSnapshot use it.
 */
export class NotifiedReload {
  private dirty = true;
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
    });
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
    this.dirty = true;
  }

  /** True when no change was announced since the last load and none is loading. */
  isFresh(): boolean {
    return !this.dirty && this.loading === null;
  }

  /** Reloads first when a change was announced since the last load, or when nothing is loaded. */
  async ensureFresh(loaded: boolean): Promise<void> {
    if (loaded && !this.dirty) {
      return;
    }
    if (!this.loading) {
      this.dirty = false;
      this.loading = this.options
        .reload()
        .catch((error: unknown) => {
          this.dirty = true;
          throw error;
        })
        .finally(() => {
          this.loading = null;
        });
    }
    await this.loading;
  }

  private async checkVersion(): Promise<void> {
    if (this.dirty || this.loading) {
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
