import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import type { Queue } from 'bullmq';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { NoticeSender } from '@stepwise/notices/notice-sender';
import { planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import {
  NOTICE_DISPATCH_SCHEDULER_ID,
  NOTICE_PLAN_SCHEDULER_ID,
  NoticesJob,
  QueueName,
} from '@stepwise/queue/queue-catalogue';
import { subscribeToChannel } from '@stepwise/redis/redis-subscriber';

const ONCE = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { count: 100 },
};

/**
 * When notices are planned and dispatched: on every plan-changed notice (a publish, an import, a
 * directory change, a postponement), at start, hourly, and a dispatch pass every minute.
 */
@Injectable()
export class NoticeSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NoticeSchedule.name);
  private subscriber: Redis | null = null;

  constructor(
    @InjectQueue(QueueName.Notices) private readonly queue: Queue,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly sender: NoticeSender,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.sender.configured) {
      this.logger.warn(
        'STEPWISE_SMTP_URL is not set: notices are planned and kept in the outbox, none is sent (docs/notices.md)',
      );
    }
    await this.queue.upsertJobScheduler(
      NOTICE_DISPATCH_SCHEDULER_ID,
      { every: 60_000 },
      { name: NoticesJob.Dispatch, data: { reason: 'scheduled' }, opts: ONCE },
    );
    await this.queue.upsertJobScheduler(
      NOTICE_PLAN_SCHEDULER_ID,
      { every: 3_600_000 },
      { name: NoticesJob.Plan, data: { reason: 'scheduled' }, opts: ONCE },
    );
    const redisUrl = this.config.get('REDIS_URL', { infer: true });
    const { connection, subscribed } = subscribeToChannel({
      redisUrl,
      channel: planChangedChannel(redisUrl, this.config.get('STEPWISE_REDIS_PREFIX', { infer: true })),
      connectionName: 'stepwise-worker-notice-subscriber',
      logger: this.logger,
      onMessage: () => this.requestPlan('plan-changed'),
    });
    connection.on('ready', () => this.requestPlan('subscriber connected'));
    this.subscriber = connection;
    await subscribed;
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  private requestPlan(reason: string): void {
    this.queue
      .add(NoticesJob.Plan, { reason }, ONCE)
      .catch((error: unknown) =>
        this.logger.warn(`notice planning not queued (${reason}): ${String(error)}`),
      );
  }
}
