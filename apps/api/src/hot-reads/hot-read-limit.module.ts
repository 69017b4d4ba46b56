import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { HotReadLimiter } from './hot-read-limiter';
import { HotReadThrottleGuard } from './hot-read-throttle.guard';

/** One hot-read limiter per process, shared by the front door and the hot reads' Nest routes. */
@Global()
@Module({
  providers: [
    {
      provide: HotReadLimiter,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>): HotReadLimiter =>
        new HotReadLimiter(config.get('STEPWISE_RATE_LIMIT_PER_MINUTE', { infer: true })),
    },
    HotReadThrottleGuard,
  ],
  exports: [HotReadLimiter, HotReadThrottleGuard],
})
export class HotReadLimitModule {}
