import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import { Authenticator } from '@stepwise/access/authenticator';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { pubSubChannel } from '@stepwise/redis/pub-sub-channel';
import { REDIS_CLIENT } from '@stepwise/redis/redis-client.module';
import { redisReady } from '@stepwise/redis/redis-ready';
import { subscribeToChannel } from '@stepwise/redis/redis-subscriber';

/** The pub/sub channel on which a revoked token's id is announced to every API instance. */
export const tokenRevokedChannel = (redisUrl: string, prefix: string): string =>
  pubSubChannel(redisUrl, prefix, 'token-revoked');

const READY_TIMEOUT_MS = 1000;

/**
 * Every API instance caches looked-up tokens for a few seconds; the one that revokes a token
 * forgets it at once, and announces it here so that the others do too. Should Redis be down, the
 * cache's lifetime (5 s) still bounds how long another instance accepts it.
 */
@Injectable()
export class TokenRevocations implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TokenRevocations.name);
  private readonly channel: string;
  private readonly redisUrl: string;
  private subscriber: Redis | null = null;

  constructor(
    private readonly authenticator: Authenticator,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.redisUrl = config.get('REDIS_URL', { infer: true });
    this.channel = tokenRevokedChannel(this.redisUrl, config.get('STEPWISE_REDIS_PREFIX', { infer: true }));
  }

  onModuleInit(): void {
    // A revocation announced while Redis was away is missed: the cache's lifetime bounds that.
    this.subscriber = subscribeToChannel({
      redisUrl: this.redisUrl,
      channel: this.channel,
      connectionName: 'stepwise-token-revocations',
      logger: this.logger,
      onMessage: (tokenId) => this.authenticator.forgetToken(tokenId),
    }).connection;
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  /** Tells the other instances; never fails the revocation, which has committed. */
  async announce(tokenId: string): Promise<void> {
    try {
      if (!(await redisReady(this.redis, READY_TIMEOUT_MS))) {
        this.logger.warn(
          `Redis is not connected: revocation of ${tokenId} reaches other instances within 5 s`,
        );
        return;
      }
      await this.redis.publish(this.channel, tokenId);
    } catch (error) {
      this.logger.warn(`could not announce the revocation of ${tokenId}: ${String(error)}`);
    }
  }
}
