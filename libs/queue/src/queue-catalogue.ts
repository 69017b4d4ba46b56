/**
 * The one catalogue of queues and job names. These strings live in Redis: never derive them
 * from class names, and never rename one without draining its queue first.
 */
export enum QueueName {
  System = 'system',
}

export enum SystemJob {
  HealthPing = 'health-ping',
}

export interface HealthPingPayload {
  requestedAt: string;
}

/** Defaults every queue is created with: bounded retries with backoff, failures kept. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 10000 },
} as const;

/** Redis key the worker refreshes on each health ping; the API reads it for readiness detail. */
export const workerHeartbeatKey = (prefix: string): string => `${prefix}:worker:heartbeat`;
