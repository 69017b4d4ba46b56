import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { QueueName } from '@stepwise/queue/queue-catalogue';
import { WorkerMetrics } from './worker-metrics';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/** Queue depth read from Redis at scrape time, so the gauge is never stale. */
@Injectable()
export class QueueDepthCollector {
  constructor(
    metrics: WorkerMetrics,
    @InjectQueue(QueueName.Transitions) transitions: Queue,
    @InjectQueue(QueueName.Delivery) delivery: Queue,
  ) {
    const queues = [transitions, delivery];
    new Gauge({
      name: 'stepwise_worker_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts(...STATES);
          for (const state of STATES) {
            this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }
        }
      },
    });
  }
}
