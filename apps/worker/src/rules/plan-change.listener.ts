import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import { subscribeToChannel } from '@stepwise/redis/redis-subscriber';
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
    const redisUrl = this.config.get('REDIS_URL', { infer: true });
    const { connection, subscribed } = subscribeToChannel({
      redisUrl,
      channel: planChangedChannel(redisUrl, this.config.get('STEPWISE_REDIS_PREFIX', { infer: true })),
      connectionName: 'stepwise-worker-plan-subscriber',
      logger: this.logger,
      onMessage: () => this.requestRefresh('plan-changed'),
    });
    // After an outage: notices sent meanwhile are lost, so look at the database now.
    connection.on('ready', () => this.requestRefresh('subscriber connected'));
    this.subscriber = connection;
    // Ready only once listening, so that a change committed from now on is heard.
    await subscribed;
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
