import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import { redisOptions } from '@stepwise/queue/redis-connection';
import { RefreshRequester } from './refresh-requester';

/**
 * Turns `plan-changed` notices (published after every committed publication, import or
 * directory change) into a refresh at once. Notices are only a shortcut: one missed while
 * Redis was away is made good by the refresh queued on reconnect and by the sweep.
 */
@Injectable()
export class PlanChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlanChangeListener.name);
  private subscriber: Redis | null = null;

  constructor(
    private readonly requester: RefreshRequester,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const channel = planChangedChannel(this.config.get('STEPWISE_REDIS_PREFIX', { infer: true }));
    const subscriber = new Redis({
      ...redisOptions(this.config.get('REDIS_URL', { infer: true }), 'worker'),
      connectionName: 'stepwise-worker-plan-subscriber',
    });
    subscriber.on('error', () => undefined);
    subscriber.on('message', () => this.requestRefresh('plan-changed'));
    // After an outage: notices sent meanwhile are lost, so look at the database now.
    subscriber.on('ready', () => this.requestRefresh('subscriber connected'));
    this.subscriber = subscriber;
    await subscriber.subscribe(channel);
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  private requestRefresh(reason: string): void {
    this.requester
      .request(reason)
      .catch((error: unknown) =>
        this.logger.warn(`refresh not queued (${reason}); the sweep will do it: ${String(error)}`),
      );
  }
}
