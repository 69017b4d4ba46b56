import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { pubSubChannel } from '@stepwise/redis/pub-sub-channel';
import { REDIS_CLIENT } from '@stepwise/redis/redis-client.module';
import { redisReady } from '@stepwise/redis/redis-ready';

/** What changed: a service of the directory, or a policy (a publication or an import). */
export interface PlanChange {
  kind: 'service' | 'policy';
  id: string;
}

/** The pub/sub channel on which committed changes that affect resolution are announced. */
export const planChangedChannel = (redisUrl: string, prefix: string): string =>
  pubSubChannel(redisUrl, prefix, 'plan-changed');

/** How long a fresh client (the CLI's) may take to connect before a notice is given up. */
const READY_TIMEOUT_MS = 2000;

/**
 * Announces committed changes so caches are rebuilt and deliveries scheduled at once: to this
 * process's own read models directly (a writer reads its own writes), to every other process
 * through Redis. A lost
 * notice only delays that until the reconcile sweep, which reads the database; so a Redis outage
 * never fails the change that was already committed: it is logged and the caller goes on.
 */
@Injectable()
export class PlanChangeNotifier {
  private readonly logger = new Logger(PlanChangeNotifier.name);
  private readonly channel: string;
  private readonly localListeners: ((change: PlanChange) => void)[] = [];

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.channel = planChangedChannel(
      config.get('REDIS_URL', { infer: true }),
      config.get('STEPWISE_REDIS_PREFIX', { infer: true }),
    );
  }

  /** `listener` hears every change this process commits, before `notify` returns, Redis or not. */
  onLocalChange(listener: (change: PlanChange) => void): void {
    this.localListeners.push(listener);
  }

  async notify(...changes: PlanChange[]): Promise<void> {
    if (changes.length === 0) {
      return;
    }
    for (const change of changes) {
      for (const listener of this.localListeners) {
        listener(change);
      }
    }
    if (!(await this.ready())) {
      this.logger.warn(`Redis is not connected: ${changes.length} plan-changed notice(s) left to the sweep`);
      return;
    }
    for (const change of changes) {
      try {
        await this.redis.publish(this.channel, JSON.stringify({ kind: change.kind, id: change.id }));
      } catch (error) {
        this.logger.warn(`could not publish plan-changed for ${change.kind} ${change.id}: ${String(error)}`);
      }
    }
  }

  private ready(): Promise<boolean> {
    return redisReady(this.redis, READY_TIMEOUT_MS);
  }
}
