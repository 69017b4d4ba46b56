import { UnrecoverableError } from 'bullmq';

/**
 * A delivery that must not be retried (410 Gone, an SSRF refusal, an unreadable secret). Its
 * outcome is already recorded and audited where it was decided, so the failed-job handler
 * leaves it alone.
 */
export class DeliveryStoppedError extends UnrecoverableError {}

/** A send failed in a way worth trying again later (non-2xx, network error, timeout). */
export class DeliveryRetryError extends Error {
  constructor(
    message: string,
    readonly generation: number,
  ) {
    super(message);
    this.name = DeliveryRetryError.name;
  }
}

/** Another job's send of this generation is in flight: look again later rather than send twice. */
export class DeliveryBusyError extends Error {
  constructor(serviceId: string, generation: number) {
    super(`a send of generation ${generation} of '${serviceId}' is already in flight`);
    this.name = DeliveryBusyError.name;
  }
}

/** The worker is shutting down: this send did not start, and its service is handed back. */
export class WorkerStoppingError extends Error {
  constructor() {
    super('the worker is stopping: the send was not started and is handed back');
    this.name = WorkerStoppingError.name;
  }
}
