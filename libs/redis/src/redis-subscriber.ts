import type { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { redisOptions } from './redis-connection';

export interface ChannelSubscription {
  /** The subscriber's own connection: listen for `ready` here, disconnect it on shutdown. */
  connection: Redis;
  /** Settles once the first subscription is in place (a failure is logged, not thrown). */
  subscribed: Promise<void>;
}

/**
 * A connection of its own subscribed to `channel` (a subscriber cannot issue other commands),
 * calling `onMessage` with each message. It waits out Redis outages and resubscribes by itself;
 * what was published meanwhile is lost, so a caller that must not miss anything listens for
 * `ready` on the returned connection too.
 */
export function subscribeToChannel(options: {
  redisUrl: string;
  channel: string;
  connectionName: string;
  logger: Pick<Logger, 'warn'>;
  onMessage: (message: string) => void;
}): ChannelSubscription {
  const { redisUrl, channel, connectionName, logger, onMessage } = options;
  const connection = new Redis({ ...redisOptions(redisUrl, 'worker'), connectionName });
  connection.on('error', () => undefined);
  connection.on('message', (_channel: string, message: string) => onMessage(message));
  const subscribed = connection
    .subscribe(channel)
    .then(() => undefined)
    .catch((error: unknown) => logger.warn(`subscribe failed: ${String(error)}`));
  return { connection, subscribed };
}
