import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { ConnectorSwitch } from '@stepwise/enforcement/connector-switch';
import {
  DELIVERY_JOB_OPTIONS,
  DeliverPayload,
  DeliveryJob,
  QueueName,
  redeliveryJobId,
} from '@stepwise/queue/queue-catalogue';
import { REDIS_CLIENT } from '@stepwise/redis/redis-client.module';
import type { RedeliveryResponseDto } from './rollout.dto';

interface ServiceRulesRow {
  connector_type: string;
  generation: number | null;
}

/**
 * A planner forcing a fresh delivery of a service's current generation, re-enabling its connector
 * if a 410 had disabled it. Redis is asked first: while it is down the request is refused (503)
 * before anything changes, since a re-enabled connector with no delivery queued would say more
 * than happened.
 */
@Injectable()
export class RedeliveryService {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly connectors: ConnectorSwitch,
    @InjectQueue(QueueName.Delivery) private readonly queue: Queue<DeliverPayload>,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  async redeliver(
    context: AuditContext,
    serviceId: string,
    reason: string | null,
  ): Promise<RedeliveryResponseDto> {
    // Fails at once while Redis is down (no offline queue); the error filter answers 503.
    await this.redis.ping();
    const result = await this.auditLog.change(context, async (tx) => {
      const [row] = await tx.manager.query<ServiceRulesRow[]>(
        `SELECT s.connector_type, r.generation FROM services s LEFT JOIN service_rules r ON r.service_id = s.id
         WHERE s.id = $1 FOR UPDATE OF s`,
        [serviceId],
      );
      if (row === undefined) {
        throw DomainError.notFound('service', serviceId);
      }
      if (row.connector_type !== 'webhook') {
        throw conflict(
          `service '${serviceId}' has a pull connector: it fetches its rules, nothing is delivered`,
        );
      }
      if (row.generation === null) {
        throw conflict(`the rules of service '${serviceId}' have not been computed yet`);
      }
      const generation = row.generation;
      const reenabled = (await this.connectors.enable(tx, serviceId, reason)) !== null;
      // Sent again even where it is applied (the receiver may have lost it): the delivery's claim
      // and the fenced apply accept the applied generation once more while this is set.
      const [[requested]] = await tx.manager.query<[[{ at: Date }], number]>(
        'UPDATE service_rules SET redelivery_requested_at = now() WHERE service_id = $1 RETURNING redelivery_requested_at AS at',
        [serviceId],
      );
      const jobId = redeliveryJobId(serviceId, generation, requested.at.getTime());
      tx.audit({
        action: 'rules.redelivery-requested',
        resourceType: 'service',
        resourceId: serviceId,
        after: { generation, jobId, reenabled },
        reason,
      });
      return { service: serviceId, generation, reenabled, jobId };
    });
    await this.queue.add(
      DeliveryJob.Deliver,
      { serviceId, generation: result.generation },
      { ...DELIVERY_JOB_OPTIONS, jobId: result.jobId },
    );
    return result;
  }
}

const conflict = (message: string): DomainError => new DomainError(ErrorCode.Conflict, message);
