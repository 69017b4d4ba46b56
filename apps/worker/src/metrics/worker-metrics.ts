import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Outcome of one delivery job, as counted by `stepwise_worker_deliveries_total`. */
export type DeliveryOutcome =
  | 'delivered'
  | 'superseded'
  | 'already-applied'
  | 'retry'
  | 'busy'
  | 'gone'
  | 'refused'
  | 'disabled'
  | 'not-webhook'
  | 'no-rules';

/**
 * The worker's Prometheus metrics, in a registry of its own (the API has its own /metrics).
 * Names carry the `stepwise_worker_` prefix so both can be scraped into one Prometheus.
 */
@Injectable()
export class WorkerMetrics {
  readonly registry = new Registry();

  readonly deliveries = new Counter({
    name: 'stepwise_worker_deliveries_total',
    help: 'Delivery jobs by outcome (delivered = applied by this send; superseded = applied by another first)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly deliveryFailures = new Counter({
    name: 'stepwise_worker_delivery_failures_total',
    help: 'Failed webhook sends by kind (http, timeout, network, refused, gone, exhausted)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly duplicateDeliveries = new Counter({
    name: 'stepwise_worker_duplicate_deliveries_total',
    help: 'Sends repeating a generation whose earlier send had an unknown outcome (crash or timeout)',
    registers: [this.registry],
  });

  readonly deliveryDuration = new Histogram({
    name: 'stepwise_worker_delivery_duration_seconds',
    help: 'One webhook send, from request to response',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly transitionLateness = new Histogram({
    name: 'stepwise_worker_transition_lateness_seconds',
    help: 'From a transition instant to the refresh that stored its rules',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers: [this.registry],
  });

  readonly refreshes = new Counter({
    name: 'stepwise_worker_refreshes_total',
    help: 'Desired-state refreshes by trigger (refresh, transition, sweep)',
    labelNames: ['trigger'] as const,
    registers: [this.registry],
  });

  readonly refreshDuration = new Histogram({
    name: 'stepwise_worker_refresh_duration_seconds',
    help: 'One desired-state refresh of every service',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly generationsChanged = new Counter({
    name: 'stepwise_worker_generations_changed_total',
    help: 'Services whose desired rules got a new generation',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'stepwise_worker_' });
  }
}
