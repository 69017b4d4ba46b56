import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { ConnectionErrorLog } from './queue-error.listener';

/** A processor whose worker's connection errors go to the log as ConnectionErrorLog keeps it. */
export abstract class LoggedWorkerHost extends WorkerHost {
  private readonly connectionErrors = new ConnectionErrorLog();

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.connectionErrors.warn(`worker '${this.worker.name}'`, error);
  }
}
