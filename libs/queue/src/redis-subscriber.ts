import type { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { redisOptions } from './redis-connection';

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
}): Redis {
  const { redisUrl, channel, connectionName, logger, onMessage } = options;
  const subscriber = new Redis({ ...redisOptions(redisUrl, 'worker'), connectionName });
  subscriber.on('error', () => undefined);
  subscriber.on('message', (_channel: string, message: string) => onMessage(message));
  subscriber.subscribe(channel).catch((error: unknown) => logger.warn(`subscribe failed: ${String(error)}`));
  return subscriber;
}
