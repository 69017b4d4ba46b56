import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { pubSubChannel } from '@stepwise/redis/pub-sub-channel';
import { REDIS_CLIENT } from '@stepwise/redis/redis-client.module';

/** The pub/sub channel on which the worker announces that desired rules were rewritten. */
export const rulesChangedChannel = (redisUrl: string, prefix: string): string =>
  pubSubChannel(redisUrl, prefix, 'rules-changed');

/**
 * Tells every API instance to reload the rules read model now rather than at its next version
 * check. Best effort by design: the read model's periodic check against PostgreSQL catches a
 * lost notice, so a Redis outage only delays a reload and never fails the refresh.
 */
@Injectable()
export class RulesChangeNotifier {
  private readonly logger = new Logger(RulesChangeNotifier.name);
  private readonly channel: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.channel = rulesChangedChannel(
      config.get('REDIS_URL', { infer: true }),
      config.get('STEPWISE_REDIS_PREFIX', { infer: true }),
    );
  }

  async notify(changedServices: number): Promise<void> {
    try {
      await this.redis.publish(this.channel, JSON.stringify({ changed: changedServices }));
    } catch (error) {
      this.logger.warn(
        `rules-changed notice not sent (read models will catch up by polling): ${String(error)}`,
      );
    }
  }
}
