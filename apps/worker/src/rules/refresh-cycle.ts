import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IDEMPOTENCY_KEY_LIFETIME_MS, IdempotencyKeys } from '@stepwise/idempotency/idempotency-keys';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { ChangedGeneration, DesiredStateRefresher } from '@stepwise/enforcement/desired-state.refresher';
import { GateEvaluator } from '@stepwise/enforcement/gate-evaluator';
import { RulesChangeNotifier } from '@stepwise/enforcement/rules-change-notifier';
import { ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { DeliveryEnqueuer } from '../delivery/delivery-enqueuer';
import { TransitionScheduler } from './transition-scheduler';

export type RefreshTrigger = 'refresh' | 'transition' | 'sweep';

export interface RefreshSummary {
  trigger: RefreshTrigger;
  computedAt: string;
  services: number;
  changed: number;
  overdue: number;
  deliveriesQueued: number;
}

/**
 * One pass from the database to the queues: recompute desired rules, announce the change to the
 * API's read models, reschedule transition jobs, and queue deliveries. A plan change or a
 * transition queues the services that changed; the sweep queues every undelivered generation,
 * which is what makes a lost queue (Redis flushed, worker killed) cost only latency.
 */
@Injectable()
export class RefreshCycle {
  private readonly logger = new Logger(RefreshCycle.name);
  private readonly sweepIntervalMs: number;

  constructor(
    private readonly refresher: DesiredStateRefresher,
    private readonly repository: ServiceRulesRepository,
    private readonly notifier: RulesChangeNotifier,
    private readonly transitions: TransitionScheduler,
    private readonly deliveries: DeliveryEnqueuer,
    private readonly metrics: WorkerMetrics,
    private readonly idempotencyKeys: IdempotencyKeys,
    private readonly gates: GateEvaluator,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.sweepIntervalMs = config.get('STEPWISE_SWEEP_INTERVAL_MS', { infer: true });
  }

  async run(trigger: RefreshTrigger, notBefore?: number): Promise<RefreshSummary> {
    // Gates first: an evaluation that passes releases a held phase in this very refresh.
    await this.gates.evaluateDue();
    const stopTimer = this.metrics.refreshDuration.startTimer();
    const result = await this.refresher.refresh({ notBefore, dueOnly: trigger === 'transition' });
    stopTimer();
    this.metrics.refreshes.inc({ trigger });
    this.metrics.generationsChanged.inc(result.changed.length);
    for (const instant of new Set(result.overdue.map((transition) => transition.nextChangeAt))) {
      this.metrics.transitionLateness.observe((result.computedAt - instant) / 1000);
    }
    if (result.changed.length > 0) {
      await this.notifier.notify(result.changed.length);
    }
    // New instants are scheduled at once; the sweep rebuilds the whole schedule from PostgreSQL
    // (jobs Redis lost, and jobs for instants a publication moved away, which would only cause a
    // refresh that finds nothing to change).
    await this.transitions.schedule(result.newlyUpcoming);
    if (trigger === 'sweep') {
      await this.transitions.reconcile();
      await this.pruneIdempotencyKeys(result.computedAt);
    }
    const deliveriesQueued = await this.queueDeliveries(trigger, result.changed, result.computedAt);
    if (result.changed.length > 0 || result.overdue.length > 0) {
      this.logger.log(
        `${trigger}: ${result.changed.length} changed, ${result.overdue.length} overdue, ${deliveriesQueued} deliveries queued`,
      );
    }
    return {
      trigger,
      computedAt: new Date(result.computedAt).toISOString(),
      services: result.services,
      changed: result.changed.length,
      overdue: result.overdue.length,
      deliveriesQueued,
    };
  }

  /** Housekeeping: a failure here must not stop the sweep's real work, so it is only logged. */
  private async pruneIdempotencyKeys(now: number): Promise<void> {
    try {
      const removed = await this.idempotencyKeys.pruneClaimedBefore(
        new Date(now - IDEMPOTENCY_KEY_LIFETIME_MS),
      );
      if (removed > 0) {
        this.logger.log(`sweep: forgot ${removed} idempotency key(s) older than a day`);
      }
    } catch (error) {
      this.logger.warn(`sweep: idempotency keys not pruned: ${String(error)}`);
    }
  }

  /**
   * New generations fan out in batches. The sweep also queues one deterministic job per older
   * undelivered generation: a no-op wherever a job for it exists (retrying, or given up), and
   * generations younger than one interval are left to the fan-out that is delivering them. Every
   * pass queues the requested redeliveries (a planner's, or a new webhook's after a PATCH, whose
   * notice triggered this pass), each under its request's jobId, which the API may have used.
   */
  private async queueDeliveries(
    trigger: RefreshTrigger,
    changed: ChangedGeneration[],
    computedAt: number,
  ): Promise<number> {
    const serviceIds = changed.map((row) => row.serviceId);
    const fresh =
      serviceIds.length === 0 ? [] : await this.repository.findPendingWebhookDeliveries({ serviceIds });
    let queued = await this.deliveries.fanOut(fresh, computedAt);
    if (trigger !== 'sweep') {
      queued += await this.deliveries.enqueue(
        await this.repository.findPendingWebhookDeliveries({ redeliveries: true }),
      );
    } else {
      const computedBefore = new Date(computedAt - this.sweepIntervalMs);
      queued += await this.deliveries.enqueue(
        await this.repository.findPendingWebhookDeliveries({ computedBefore }),
      );
    }
    return queued;
  }
}
