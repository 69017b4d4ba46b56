import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { retryDelayMs } from '@stepwise/connectors/retry-backoff';
import type { PendingDelivery } from '@stepwise/enforcement/service-rules.repository';
import {
  DELIVERY_ATTEMPTS,
  DELIVERY_BATCH_SIZE,
  DELIVERY_JOB_OPTIONS,
  DeliverBatchPayload,
  DeliverPayload,
  DeliveryJob,
  deliveryBatchJobId,
  deliveryJobId,
  QueueName,
  redeliveryJobId,
  restartedDeliveryJobId,
} from '@stepwise/queue/queue-catalogue';

const BULK = 1000;

/** Exponential backoff with full jitter, as the delivery worker's custom strategy computes it. */
export const RETRY_BACKOFF = { baseMs: 1_000, maxMs: 300_000 };

/** Puts deliveries on the `delivery` queue: fan-out batches, single deliveries, and retries. */
@Injectable()
export class DeliveryEnqueuer {
  constructor(
    @InjectQueue(QueueName.Delivery) private readonly queue: Queue<DeliverPayload | DeliverBatchPayload>,
  ) {}

  /** A refresh's new generations, DELIVERY_BATCH_SIZE services per job. */
  async fanOut(pending: readonly PendingDelivery[], computedAtMs: number): Promise<number> {
    if (pending.length === 0) {
      return 0;
    }
    const jobs = [];
    for (let start = 0, index = 0; start < pending.length; start += DELIVERY_BATCH_SIZE, index += 1) {
      jobs.push({
        name: DeliveryJob.DeliverBatch,
        data: {
          services: pending
            .slice(start, start + DELIVERY_BATCH_SIZE)
            .map(({ serviceId, generation }) => ({ serviceId, generation })),
        },
        opts: {
          jobId: deliveryBatchJobId(computedAtMs, index),
          attempts: 3,
          removeOnComplete: { count: 100 },
          removeOnFail: { count: 1000 },
        },
      });
    }
    await this.addInBulk(jobs);
    return pending.length;
  }

  /**
   * One job per (service, generation), with that deterministic jobId: adding one that exists in
   * any state (waiting, retrying, failed, done) is a no-op, so the sweep never doubles a retry
   * chain nor restarts an exhausted one at once. A requested redelivery of an applied generation
   * has a jobId of its own (the request's instant), since the first delivery's job may still be
   * kept; so has each new round after a quiet hour (the sends made so far).
   */
  async enqueue(pending: readonly PendingDelivery[]): Promise<number> {
    if (pending.length === 0) {
      return 0;
    }
    await this.addInBulk(
      pending.map((delivery) => ({
        name: DeliveryJob.Deliver,
        data: { serviceId: delivery.serviceId, generation: delivery.generation },
        opts: { ...DELIVERY_JOB_OPTIONS, jobId: jobIdOf(delivery) },
      })),
    );
    return pending.length;
  }

  /** A send of a fan-out batch failed: its retries continue as a single delivery, after backoff. */
  async retryLater(serviceId: string, generation: number): Promise<void> {
    await this.queue.add(
      DeliveryJob.Deliver,
      { serviceId, generation },
      {
        ...DELIVERY_JOB_OPTIONS,
        attempts: DELIVERY_ATTEMPTS - 1,
        delay: retryDelayMs(1, RETRY_BACKOFF),
        jobId: deliveryJobId(serviceId, generation),
      },
    );
  }

  private async addInBulk(jobs: Parameters<Queue['addBulk']>[0]): Promise<void> {
    for (let start = 0; start < jobs.length; start += BULK) {
      await this.queue.addBulk(jobs.slice(start, start + BULK));
    }
  }
}

function jobIdOf({
  serviceId,
  generation,
  redeliveryRequestedAt,
  restartAfterAttempts,
}: PendingDelivery): string {
  if (redeliveryRequestedAt !== undefined) {
    return redeliveryJobId(serviceId, generation, redeliveryRequestedAt);
  }
  if (restartAfterAttempts !== undefined) {
    return restartedDeliveryJobId(serviceId, generation, restartAfterAttempts);
  }
  return deliveryJobId(serviceId, generation);
}
