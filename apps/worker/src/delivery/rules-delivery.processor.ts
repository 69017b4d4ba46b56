import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { LoggedWorkerHost } from '@stepwise/queue/logged-worker-host';
import { AuditLog } from '@stepwise/audit/audit-log';
import { systemActor } from '@stepwise/common/principal';
import { createRetryBackoffStrategy } from '@stepwise/connectors/retry-backoff';
import { DeliveryLedger } from '@stepwise/enforcement/delivery-ledger';
import { DeliverBatchPayload, DeliverPayload, DeliveryJob, QueueName } from '@stepwise/queue/queue-catalogue';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { DeliveryEnqueuer, RETRY_BACKOFF } from './delivery-enqueuer';
import { DeliveryStoppedError, WorkerStoppingError } from './delivery-errors';
import { DeliveryReport, RulesDelivery } from './rules-delivery.service';
import { SendSlots } from './send-slots';
import { WebhookSenderProvider } from './webhook-sender.provider';

/** How long a delivery handed back at shutdown waits before another worker may take it. */
const HAND_BACK_DELAY_MS = 1000;

/**
 * Handles the `delivery` queue. Sends share the process's send slots; a retry waits as a delayed
 * job, not in a slot, so a failing receiver never holds up healthy ones. Locks are short so that
 * jobs a killed worker held are handed to another within seconds.
 */
@Processor(QueueName.Delivery, {
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 5,
  settings: { backoffStrategy: createRetryBackoffStrategy(RETRY_BACKOFF) },
})
export class RulesDeliveryProcessor
  extends LoggedWorkerHost
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(RulesDeliveryProcessor.name);

  constructor(
    private readonly delivery: RulesDelivery,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly slots: SendSlots,
    private readonly webhooks: WebhookSenderProvider,
    private readonly auditLog: AuditLog,
    private readonly ledger: DeliveryLedger,
    private readonly metrics: WorkerMetrics,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Jobs wait for send slots, so as many jobs as slots keeps every slot busy.
    this.worker.concurrency = this.slots.size;
  }

  /**
   * Sends in flight finish (the worker's close waits for them); sends not yet started are handed
   * back (a batch's as single delayed deliveries, a single delivery's job delayed again), so the
   * worker stops within the bound however many services its active jobs still hold. Then the
   * pools close.
   */
  async onApplicationShutdown(): Promise<void> {
    this.slots.close();
    await this.worker.close();
    await this.webhooks.close();
  }

  async process(job: Job, token?: string): Promise<DeliveryReport | Record<string, number>> {
    const name = job.name as DeliveryJob;
    switch (name) {
      case DeliveryJob.Deliver:
        return this.deliverOne(job as Job<DeliverPayload>, token);
      case DeliveryJob.DeliverBatch:
        return this.deliverBatch(job as Job<DeliverBatchPayload>);
      default: {
        const unhandled: never = name;
        throw new Error(`no handler for job '${String(unhandled)}' on queue '${QueueName.Delivery}'`);
      }
    }
  }

  /** A single delivery that did not start because the worker is stopping waits again, unspent. */
  private async deliverOne(job: Job<DeliverPayload>, token: string | undefined): Promise<DeliveryReport> {
    try {
      return await this.delivery.deliver(job.data.serviceId);
    } catch (error) {
      if (!(error instanceof WorkerStoppingError)) {
        throw error;
      }
      // BullMQ keeps delayed jobs by its own Date.now(), not by the domain's clock.
      // eslint-disable-next-line no-restricted-syntax
      await job.moveToDelayed(Date.now() + HAND_BACK_DELAY_MS, token);
      throw new DelayedError();
    }
  }

  /** Each service on its own: one that must be retried continues as a single delayed delivery. */
  private async deliverBatch(job: Job<DeliverBatchPayload>): Promise<Record<string, number>> {
    const outcomes: Record<string, number> = {};
    await Promise.all(
      job.data.services.map(async ({ serviceId, generation }) => {
        let outcome: string;
        try {
          outcome = (await this.delivery.deliver(serviceId)).outcome;
        } catch (error) {
          if (error instanceof DeliveryStoppedError) {
            outcome = 'stopped';
          } else {
            await this.enqueuer.retryLater(serviceId, generation);
            outcome = 'retry-later';
          }
        }
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }),
    );
    return outcomes;
  }

  /** Every attempt that failed lands here; only the last one of a retried delivery is audited. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<DeliverPayload> | undefined, error: Error): Promise<void> {
    if (!job || (job.name as DeliveryJob) !== DeliveryJob.Deliver || error instanceof DeliveryStoppedError) {
      return;
    }
    if (job.attemptsMade < (job.opts.attempts ?? 1)) {
      return;
    }
    this.metrics.deliveryFailures.inc({ kind: 'exhausted' });
    // What was last sent and why it failed, from the database rather than from the job.
    const last = await this.ledger.lastSend(job.data.serviceId).catch(() => null);
    const attempts = last?.attempts ?? job.attemptsMade;
    await this.auditLog
      .record(
        { actor: systemActor('worker'), requestId: null },
        {
          action: 'rules.apply-failed',
          resourceType: 'service',
          resourceId: job.data.serviceId,
          after: {
            generation: last?.sentGeneration ?? null,
            error: last?.lastError ?? error.message,
            attempts,
            retried: true,
          },
          reason: `gave up after ${attempts} attempt(s): ${error.message}`,
          outcome: 'failure',
        },
      )
      .catch((auditError: unknown) =>
        this.logger.error(`could not audit a failed delivery: ${String(auditError)}`),
      );
  }
}
