import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '@stepwise/common/clock';
import { QueueName, SystemJob } from '@stepwise/queue/queue-catalogue';

const PING_EVERY_MS = 30_000;

/** Keeps one repeating health ping scheduled, so a live worker refreshes its heartbeat. */
@Injectable()
export class HealthPingScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.System) private readonly queue: Queue,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SystemJob.HealthPing,
      { every: PING_EVERY_MS },
      { name: SystemJob.HealthPing, data: { requestedAt: this.clock.now().toJSDate().toISOString() } },
    );
  }
}
