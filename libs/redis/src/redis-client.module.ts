import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { redisOptions } from './redis-connection';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** A fail-fast Redis client for reads, health checks and pub/sub publishing. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): Redis => {
        const redis = new Redis(redisOptions(config.get('REDIS_URL', { infer: true }), 'client'));
        // Outages are reported by /health/ready and by the calls that fail; without a listener
        // ioredis would print every reconnect attempt.
        redis.on('error', () => undefined);
        return redis;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisClientModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
