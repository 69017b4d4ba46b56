import { Processor } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import type Redis from 'ioredis';
import { Clock } from '@stepwise/common/clock';
import { LoggedWorkerHost } from '@stepwise/queue/logged-worker-host';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { HealthPingPayload, QueueName, SystemJob, workerHeartbeatKey } from '@stepwise/queue/queue-catalogue';
import { REDIS_CLIENT } from '@stepwise/redis/redis-client.module';

/** Handles the `system` queue. Job names are checked exhaustively at compile time. */
@Processor(QueueName.System)
export class SystemProcessor extends LoggedWorkerHost {
  private readonly logger = new Logger(SystemProcessor.name);

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: Job): Promise<{ heartbeatAt: string }> {
    const name = job.name as SystemJob;
    switch (name) {
      case SystemJob.HealthPing:
        return this.healthPing(job as Job<HealthPingPayload>);
      default: {
        const unhandled: never = name;
        throw new Error(`no handler for job '${String(unhandled)}' on queue '${QueueName.System}'`);
      }
    }
  }

  private async healthPing(job: Job<HealthPingPayload>): Promise<{ heartbeatAt: string }> {
    const heartbeatAt = this.clock.now().toJSDate().toISOString();
    const key = workerHeartbeatKey(this.config.get('STEPWISE_REDIS_PREFIX', { infer: true }));
    await this.redis.set(key, heartbeatAt, 'EX', 300);
    this.logger.debug(`health ping requested at ${job.data.requestedAt} answered at ${heartbeatAt}`);
    return { heartbeatAt };
  }
}
