import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ConnectionOptions } from 'bullmq';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queue-catalogue';
import { queueErrorListenerProvider } from './queue-error.listener';
import { redisOptions } from './redis-connection';

const QUEUES = Object.values(QueueName).map((name) => ({ name }));

/** BullMQ for the worker: blocking connections that wait out Redis outages. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
        // BullMQ 6 declares its own option type; ioredis's options are what it passes on.
        connection: redisOptions(config.get('REDIS_URL', { infer: true }), 'worker') as ConnectionOptions,
        prefix: config.get('STEPWISE_REDIS_PREFIX', { infer: true }),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...QUEUES),
  ],
  providers: [queueErrorListenerProvider],
  exports: [BullModule],
})
export class QueueWorkerModule {}
