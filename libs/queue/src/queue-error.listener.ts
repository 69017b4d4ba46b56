import { getQueueToken } from '@nestjs/bullmq';
import { Logger, Provider } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from './queue-catalogue';

const QUEUE_NAMES = Object.values(QueueName);

/** At most one warning per this interval: a Redis outage makes every reconnect attempt an error. */
const LOG_INTERVAL_MS = 10_000;

/**
 * BullMQ queues and workers emit connection errors while Redis is down, and print an error nobody
 * listens to raw to stderr (dozens of lines a second in a worker). The calls that need Redis fail
 * by themselves (the API answers 503, a worker waits the outage out); this keeps the log to one
 * warning line per interval, through the application's logger.
 */
export class ConnectionErrorLog {
  private readonly logger = new Logger('Queue');
  private lastLoggedAt = Number.NEGATIVE_INFINITY;

  warn(source: string, error: Error): void {
    // An interval: the monotonic clock, so a wall-clock step cannot silence the warnings.
    const now = performance.now();
    if (now - this.lastLoggedAt < LOG_INTERVAL_MS) {
      return;
    }
    this.lastLoggedAt = now;
    this.logger.warn(`${source}: ${error.message}`);
  }
}

/**
 * Listens to every queue of the catalogue from the moment the queues exist (a factory that depends
 * on them), not from module init: a queue starts connecting when it is built.
 */
export class QueueErrorListener {
  private readonly log = new ConnectionErrorLog();

  constructor(queues: readonly Queue[]) {
    for (const queue of queues) {
      queue.on('error', (error: Error) => this.log.warn(`queue '${queue.name}'`, error));
    }
  }
}

export const queueErrorListenerProvider: Provider = {
  provide: QueueErrorListener,
  useFactory: (...queues: Queue[]) => new QueueErrorListener(queues),
  inject: QUEUE_NAMES.map((name) => getQueueToken(name)),
};
