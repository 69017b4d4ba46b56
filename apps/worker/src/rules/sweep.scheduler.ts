import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bullmq';
import { Clock } from '@stepwise/common/clock';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { QueueName, SWEEP_SCHEDULER_ID, SweepPayload, TransitionsJob } from '@stepwise/queue/queue-catalogue';

/**
 * Keeps the reconcile sweep scheduled as a BullMQ job scheduler (one sweep per interval however
 * many workers run), and sweeps once at start. The scheduler itself lives in Redis, so each
 * worker checks every interval that it still exists and recreates it if Redis lost it: the one
 * thing that rebuilds everything else must not depend on Redis keeping it.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SweepScheduler.name);
  private readonly intervalMs: number;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(
    @InjectQueue(QueueName.Transitions) private readonly queue: Queue<SweepPayload>,
    config: ConfigService<EnvironmentVariables, true>,
    private readonly clock: Clock,
  ) {
    this.intervalMs = config.get('STEPWISE_SWEEP_INTERVAL_MS', { infer: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule();
    const now = this.clock.now();
    await this.queue.add(
      TransitionsJob.Sweep,
      { requestedAt: now.toJSDate().toISOString() },
      {
        jobId: `sweep-start-${now.toMillis()}`,
        attempts: 1,
        removeOnComplete: true,
        removeOnFail: { count: 100 },
      },
    );
    this.watchdog = setInterval(() => void this.ensureScheduled(), this.intervalMs);
    this.watchdog.unref();
  }

  onApplicationShutdown(): void {
    if (this.watchdog) {
      clearInterval(this.watchdog);
    }
  }

  private async ensureScheduled(): Promise<void> {
    try {
      if (await this.queue.getJobScheduler(SWEEP_SCHEDULER_ID)) {
        this.logger.debug('sweep scheduler present');
        return;
      }
      this.logger.warn('the sweep scheduler is missing from Redis (flushed or lost); recreating it');
      await this.schedule();
    } catch (error) {
      this.logger.warn(`sweep scheduler check failed: ${String(error)}`);
    }
  }

  private async schedule(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: this.intervalMs },
      {
        name: TransitionsJob.Sweep,
        data: { requestedAt: 'scheduled' },
        opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } },
      },
    );
  }
}
