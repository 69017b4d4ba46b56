import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queue-catalogue';
import { queueErrorListenerProvider } from './queue-error.listener';
import { redisOptions } from './redis-connection';

const QUEUES = Object.values(QueueName).map((name) => ({ name }));

/** BullMQ for a producer (the API): fails fast while Redis is down instead of queueing offline. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
        // BullMQ 6 declares its own option type; ioredis's options are what it passes on.
        connection: redisOptions(config.get('REDIS_URL', { infer: true }), 'producer') as ConnectionOptions,
        prefix: config.get('STEPWISE_REDIS_PREFIX', { infer: true }),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...QUEUES),
  ],
  providers: [queueErrorListenerProvider],
  exports: [BullModule],
})
export class QueueProducerModule {}
