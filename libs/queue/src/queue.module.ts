import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queue-catalogue';
import { queueErrorListenerProvider } from './queue-error.listener';
import { redisOptions } from '@stepwise/redis/redis-connection';

const QUEUES = Object.values(QueueName).map((name) => ({ name }));

/**
 * BullMQ with every queue of the catalogue, for one side: a `producer` (the API) fails fast while
 * Redis is down instead of queueing offline; a `worker` holds blocking connections that wait
 * Redis outages out. Nest 11 tells dynamic modules apart by reference, so each side's module is
 * built once and the same object returned to every module that imports it: one set of connections.
 */
@Module({})
export class QueueModule {
  private static readonly sides = new Map<'producer' | 'worker', DynamicModule>();

  static register(side: 'producer' | 'worker'): DynamicModule {
    const built = QueueModule.sides.get(side) ?? QueueModule.build(side);
    QueueModule.sides.set(side, built);
    return built;
  }

  private static build(side: 'producer' | 'worker'): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
            // BullMQ 6 declares its own option type; ioredis's options are what it passes on.
            connection: redisOptions(config.get('REDIS_URL', { infer: true }), side) as ConnectionOptions,
            prefix: config.get('STEPWISE_REDIS_PREFIX', { infer: true }),
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        BullModule.registerQueue(...QUEUES),
      ],
      providers: [queueErrorListenerProvider],
      exports: [BullModule],
    };
  }
}
