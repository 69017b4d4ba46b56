import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QueueName } from './queue-catalogue';

/**
 * Queues emit connection errors while Redis is down. The calls that need Redis fail (and answer
 * 503); this only keeps the log to one line per error instead of an unhandled-error dump.
 */
@Injectable()
export class QueueErrorListener implements OnModuleInit {
  private readonly logger = new Logger('Queue');
  private lastLoggedAt = 0;

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of Object.values(QueueName)) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', (error: Error) => this.log(name, error));
    }
  }

  private log(queue: string, error: Error): void {
    const now = Date.now();
    if (now - this.lastLoggedAt < 10_000) return;
    this.lastLoggedAt = now;
    this.logger.warn(`queue '${queue}': ${error.message}`);
  }
}
