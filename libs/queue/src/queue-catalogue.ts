/**
 * The one catalogue of queues and job names. These strings live in Redis: never derive them
 * from class names, and never rename one without draining its queue first.
 */
export enum QueueName {
  System = 'system',
  /** Desired-state refreshes, transition instants and the reconcile sweep (run one at a time). */
  Transitions = 'transitions',
  /** Webhook sends of rules documents. */
  Delivery = 'delivery',
  /** Notices to people: planning into the outbox, dispatch into mails, sending (issue 21). */
  Notices = 'notices',
}

export enum SystemJob {
  HealthPing = 'health-ping',
}

export enum TransitionsJob {
  /** Recompute desired state now (a plan or directory change was announced). */
  Refresh = 'refresh',
  /** A delayed job at an instant when some service's rules change. */
  Transition = 'transition',
  /** The periodic reconcile: rebuild from PostgreSQL whatever Redis should hold. */
  Sweep = 'sweep',
}

export enum DeliveryJob {
  /** One service: retries, redeliveries, and what the sweep finds undelivered. */
  Deliver = 'deliver',
  /** The fan-out of one refresh: many services, one job (a job per send would cap throughput). */
  DeliverBatch = 'deliver-batch',
}

export interface HealthPingPayload {
  requestedAt: string;
}

export interface RefreshPayload {
  /** Why it was asked for (a plan-changed notice, worker start); for logs only. */
  reason: string;
}

export interface TransitionPayload {
  /** The instant, epoch ms. Also in the jobId; the worker recomputes from the database. */
  at: number;
}

export interface SweepPayload {
  requestedAt: string;
}

/**
 * Which service to deliver. The generation is a hint for the jobId only: the worker re-reads
 * the service and delivers the generation the database holds as desired at that moment.
 */
export interface DeliverPayload {
  serviceId: string;
  generation: number;
}

export interface DeliverBatchPayload {
  services: DeliverPayload[];
}

/** Services per fan-out job. */
export const DELIVERY_BATCH_SIZE = 100;

/** Defaults every queue is created with: bounded retries with backoff, failures kept. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 10000 },
} as const;

/** Attempts of one round of a delivery before it is audited as failed (`rules.apply-failed`). */
export const DELIVERY_ATTEMPTS = 10;

/**
 * A generation still unapplied this long after its last send starts a new round of attempts (the
 * sweep queues it), so a receiver that was down for hours gets its rules without a planner. A
 * round in progress sends at least every 5 minutes (the backoff's cap), so it is never doubled.
 */
export const DELIVERY_RESTART_QUIET_MS = 60 * 60 * 1000;

/**
 * Delivery jobs, whoever queues them (the worker's refresh and sweep, the API's redeliver).
 * Backoff is the custom strategy the delivery worker declares (exponential, full jitter). Failed
 * jobs are kept: the sweep re-adds the same jobId, a no-op while the record exists, so an
 * exhausted round is not retried in a loop; the next round, after DELIVERY_RESTART_QUIET_MS, has a
 * jobId of its own (as have a new generation and a redelivery).
 */
export const DELIVERY_JOB_OPTIONS = {
  attempts: DELIVERY_ATTEMPTS,
  backoff: { type: 'custom' },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 10000 },
} as const;

/** Redis key the worker refreshes on each health ping; the API reads it for readiness detail. */
export const workerHeartbeatKey = (prefix: string): string => `${prefix}:worker:heartbeat`;

/** One delayed job per instant, so rescheduling the same instant twice queues it once. */
export const transitionJobId = (atMs: number): string => `transition-${atMs}`;

/** One delivery per (service, generation), the same id its webhook-id is built from. */
export const deliveryJobId = (serviceId: string, generation: number): string =>
  `deliver-${serviceId}-${generation}`;

/** A new round of attempts for a generation whose rounds so far made `attempts` sends. */
export const restartedDeliveryJobId = (serviceId: string, generation: number, attempts: number): string =>
  `${deliveryJobId(serviceId, generation)}-a${attempts}`;

/**
 * A requested redelivery of a service's generation, named by the request's instant (ms): the API
 * and the worker queue it under the same id, so it runs once however many passes see it.
 */
export const redeliveryJobId = (serviceId: string, generation: number, requestedAtMs: number): string =>
  `${deliveryJobId(serviceId, generation)}-r${requestedAtMs}`;

/** Fan-out jobs of one refresh, named by the instant it computed at. */
export const deliveryBatchJobId = (computedAtMs: number, index: number): string =>
  `deliver-batch-${computedAtMs}-${index}`;

/** The job scheduler key of the reconcile sweep. */
export const SWEEP_SCHEDULER_ID = 'reconcile-sweep';

export enum NoticesJob {
  /** Plan the notices the live timeline calls for (after a plan change, and hourly). */
  Plan = 'plan',
  /** Turn due notices into mails and queue their sends (at the next due instant, and every minute). */
  Dispatch = 'dispatch',
  /** Send one mail of the outbox. */
  Send = 'send',
}

export interface NoticePlanPayload {
  reason: string;
}

export interface NoticeDispatchPayload {
  reason: string;
}

export interface NoticeSendPayload {
  mailId: string;
}

/** One send per mail: the sweep re-adds a mail's job under the same id, a no-op while it exists. */
export const noticeSendJobId = (mailId: string): string => `notice-mail-${mailId}`;

/**
 * Sends: retried with backoff (2 s doubling, ten attempts: about half an hour of SMTP outage)
 * and then removed, so the next dispatch pass queues the still-unsent mail again: never lost.
 */
export const NOTICE_SEND_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: true,
} as const;

/** The job scheduler keys of the periodic notice passes. */
export const NOTICE_DISPATCH_SCHEDULER_ID = 'notice-dispatch';
export const NOTICE_PLAN_SCHEDULER_ID = 'notice-plan';
