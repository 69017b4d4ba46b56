import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { systemActor } from '@stepwise/common/principal';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import type { DeliveryResult } from '@stepwise/connectors/webhook-sender';
import { ConnectorSwitch } from '@stepwise/enforcement/connector-switch';
import { DeliveryLedger, DeliveryTarget } from '@stepwise/enforcement/delivery-ledger';
import { RulesApplyBatcher } from '@stepwise/enforcement/rules-apply-batcher';
import { rulesDocumentJson, webhookMessageId } from '@stepwise/enforcement/rules-document.view';
import { DeliveryOutcome, WorkerMetrics } from '../metrics/worker-metrics';
import { DeliveryBusyError, DeliveryRetryError, DeliveryStoppedError } from './delivery-errors';
import { SendSlots } from './send-slots';
import { WebhookSenderProvider } from './webhook-sender.provider';

export interface DeliveryReport {
  outcome: DeliveryOutcome;
  generation: number | null;
}

const WORKER: AuditContext = { actor: systemActor('worker'), requestId: null };

/** A claimed send owns its service this much longer than the send may take. */
const LEASE_MARGIN_MS = 5_000;

/**
 * Delivers the CURRENT desired generation of one service to its webhook. The job only names the
 * service: inside a send slot, the state is re-read and the send recorded in one (grouped)
 * statement, the 2xx becomes a fenced apply, and a failure is recorded before the caller retries.
 */
@Injectable()
export class RulesDelivery {
  private readonly logger = new Logger(RulesDelivery.name);
  private readonly leaseMs: number;

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly batcher: RulesApplyBatcher,
    private readonly connectors: ConnectorSwitch,
    private readonly auditLog: AuditLog,
    private readonly webhooks: WebhookSenderProvider,
    private readonly slots: SendSlots,
    private readonly metrics: WorkerMetrics,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.leaseMs = config.get('STEPWISE_WEBHOOK_TIMEOUT_MS', { infer: true }) + LEASE_MARGIN_MS;
  }

  /** @throws DeliveryRetryError or DeliveryBusyError (try later), DeliveryStoppedError (do not). */
  async deliver(serviceId: string): Promise<DeliveryReport> {
    const release = await this.slots.acquire();
    let result: DeliveryResult;
    let generation: number;
    try {
      const target = await this.ledger.claim(serviceId, this.leaseMs);
      if (target === null) {
        return this.count('no-rules', null);
      }
      if (target.busy) {
        this.metrics.deliveries.inc({ outcome: 'busy' });
        throw new DeliveryBusyError(serviceId, target.generation);
      }
      if (!target.claimed) {
        return this.count(skipReason(target), target.generation);
      }
      if (target.duplicate) {
        this.metrics.duplicateDeliveries.inc();
      }
      generation = target.generation;
      result = await this.send(target);
    } finally {
      release();
    }
    return this.settle(serviceId, generation, result);
  }

  private async send(target: DeliveryTarget): Promise<DeliveryResult> {
    const secret = await this.openSecret(target);
    const stopTimer = this.metrics.deliveryDuration.startTimer();
    const result = await this.webhooks.sender.deliver({
      url: target.webhook_url as string,
      secret,
      messageId: webhookMessageId(target.service_id, target.generation),
      body: rulesDocumentJson(target),
    });
    stopTimer();
    return result;
  }

  private async settle(
    serviceId: string,
    generation: number,
    result: DeliveryResult,
  ): Promise<DeliveryReport> {
    switch (result.outcome) {
      case 'delivered': {
        const moved = await this.batcher.apply({
          serviceId,
          generation,
          via: 'webhook',
          statusCode: result.statusCode,
        });
        return this.count(moved ? 'delivered' : 'superseded', generation);
      }
      case 'gone':
        await this.disable(serviceId, generation);
        throw new DeliveryStoppedError(`receiver answered 410 Gone: connector of '${serviceId}' disabled`);
      case 'refused':
        await this.refuse(serviceId, generation, result.error);
        throw new DeliveryStoppedError(result.error);
      case 'retry': {
        const timedOut = result.error.startsWith('timeout');
        this.metrics.deliveryFailures.inc({
          kind: result.statusCode !== undefined ? 'http' : timedOut ? 'timeout' : 'network',
        });
        this.metrics.deliveries.inc({ outcome: 'retry' });
        await this.ledger.recordFailure(serviceId, generation, result.error, timedOut);
        throw new DeliveryRetryError(result.error, generation);
      }
    }
  }

  /** A secret sealed under another key will not open on a retry either: stop, and say so. */
  private async openSecret(target: DeliveryTarget): Promise<string> {
    try {
      return this.webhooks.openSecret(target.webhook_secret_enc as string);
    } catch (error) {
      const message = `webhook secret cannot be opened (STEPWISE_SECRET_KEY differs?): ${String(error)}`;
      await this.refuse(target.service_id, target.generation, message);
      throw new DeliveryStoppedError(message);
    }
  }

  private async disable(serviceId: string, generation: number): Promise<void> {
    const reason = `receiver answered 410 Gone to generation ${generation}`;
    await this.ledger.recordFailure(serviceId, generation, 'HTTP 410 Gone', false);
    await this.auditLog.change(WORKER, (tx) => this.connectors.disable(tx, serviceId, reason, generation));
    this.metrics.deliveryFailures.inc({ kind: 'gone' });
    this.metrics.deliveries.inc({ outcome: 'gone' });
    this.logger.warn(`connector of ${serviceId} disabled: ${reason}`);
  }

  private async refuse(serviceId: string, generation: number, error: string): Promise<void> {
    await this.ledger.recordFailure(serviceId, generation, error, false);
    await this.auditLog.record(WORKER, {
      action: 'rules.apply-failed',
      resourceType: 'service',
      resourceId: serviceId,
      after: { generation, error, retried: false },
      reason: error,
      outcome: 'failure',
    });
    this.metrics.deliveryFailures.inc({ kind: 'refused' });
    this.metrics.deliveries.inc({ outcome: 'refused' });
  }

  private count(outcome: DeliveryOutcome, generation: number | null): DeliveryReport {
    this.metrics.deliveries.inc({ outcome });
    return { outcome, generation };
  }
}

function skipReason(target: DeliveryTarget): DeliveryOutcome {
  if (target.connector_type !== 'webhook') {
    return 'not-webhook';
  }
  if (target.connector_disabled_at !== null) {
    return 'disabled';
  }
  return 'already-applied';
}
