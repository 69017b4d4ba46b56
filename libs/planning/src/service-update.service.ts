import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import type { ServiceEntity } from '@stepwise/persistence/service.entity';
import { ConnectorSettings, type SealedConnector } from './connector-settings';
import { PlanChangeNotifier } from './plan-change-notifier';
import { readInstantField } from './planning-errors';
import type { ServicePatchInput } from './service-input';
import { ServiceRepository } from './service.repository';
import { serviceAuditView, toServiceView, type ServiceView } from './service-view';

/** Edits a service's descriptive fields and connector under optimistic concurrency. */
@Injectable()
export class ServiceUpdater {
  private readonly timezone: string;

  constructor(
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly services: ServiceRepository,
    private readonly connectors: ConnectorSettings,
    private readonly notifier: PlanChangeNotifier,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.timezone = config.get('STEPWISE_TIMEZONE', { infer: true });
  }

  /**
   * Applies the patch only if the service is still at `expectedVersion` (the caller's If-Match):
   * the conditional UPDATE's row count decides, so of two editors holding one version exactly
   * one succeeds and the other gets 412 instead of silently overwriting.
   */
  async patch(
    context: AuditContext,
    id: string,
    expectedVersion: number,
    input: ServicePatchInput,
  ): Promise<ServiceView> {
    const now = this.clock.now().toJSDate();
    const connector = input.connector === undefined ? null : await this.connectors.seal(input.connector);
    const changes = this.changesOf(input, connector);
    if (Object.keys(changes).length === 0) {
      throw DomainError.validation([{ field: '(body)', message: 'give at least one field to change' }]);
    }
    const view = await this.auditLog.change(context, async ({ manager, audit }) => {
      const before = await this.services.findService(manager, id);
      if (!before) {
        throw DomainError.notFound('service', id);
      }
      const applied = await this.services.updateServiceIfVersion(manager, id, expectedVersion, {
        ...changes,
        updatedAt: now,
      });
      if (!applied) {
        // Read again: `before` may predate the edit that won (it committed while this UPDATE waited).
        const current = (await this.services.findService(manager, id)) ?? before;
        throw new DomainError(
          ErrorCode.PreconditionFailed,
          `service '${id}' is at version ${current.version}, not ${expectedVersion}: re-read it and retry`,
        );
      }
      if (connector !== null) {
        await this.requestRedelivery(manager, id, connector);
      }
      const after = (await this.services.findService(manager, id)) as ServiceEntity;
      if (after.introducedAt?.getTime() !== before.introducedAt?.getTime()) {
        // A correction counts from now: answers for an earlier asOf keep the introduction they gave.
        await this.services.appendIntroduction(manager, {
          serviceId: id,
          introducedAt: after.introducedAt,
          recordedAt: now,
        });
      }
      audit({
        action: 'service.updated',
        resourceType: 'service',
        resourceId: id,
        before: serviceAuditView(before),
        after: serviceAuditView(after),
      });
      if (before.connectorDisabledAt !== null && after.connectorDisabledAt === null) {
        // As a redelivery's re-enabling is: a new connector turns a disabled one back on.
        audit({
          action: 'connector.enabled',
          resourceType: 'service',
          resourceId: id,
          before: {
            disabledAt: before.connectorDisabledAt.toISOString(),
            disabledReason: before.connectorDisabledReason,
          },
          after: { disabledAt: null },
          reason: 'a new connector was given',
        });
      }
      const history = await this.services.findCapabilityHistories(manager, [id]);
      return toServiceView(after, history.get(id) ?? [], now);
    });
    await this.notifier.notify({ kind: 'service', id });
    if (connector?.secretShownOnce) {
      view.connector.secret = connector.secretShownOnce;
    }
    return view;
  }

  /**
   * A new webhook (another URL, or a new secret) has never had the rules the old one applied: the
   * worker sends it the current generation (the change notice's refresh queues it, or else the
   * sweep). A pull connector fetches them itself.
   */
  private async requestRedelivery(
    manager: EntityManager,
    id: string,
    connector: SealedConnector,
  ): Promise<void> {
    await manager.query(
      `UPDATE service_rules SET redelivery_requested_at = CASE WHEN $2 THEN now() END WHERE service_id = $1`,
      [id, connector.columns.connectorType === 'webhook'],
    );
  }

  private changesOf(
    input: ServicePatchInput,
    connector: SealedConnector | null,
  ): QueryDeepPartialEntity<ServiceEntity> {
    const changes: QueryDeepPartialEntity<ServiceEntity> = {};
    if (input.name !== undefined) {
      changes.name = input.name;
    }
    if (input.owner !== undefined) {
      changes.owner = input.owner;
    }
    if (input.tags !== undefined) {
      changes.tags = input.tags;
    }
    if (input.introducedAt !== undefined) {
      changes.introducedAt =
        input.introducedAt === null
          ? null
          : readInstantField(input.introducedAt, 'introducedAt', this.timezone);
    }
    if (connector !== null) {
      // A new connector starts enabled: whatever disabled the old one (a 410) does not carry over.
      Object.assign(changes, connector.columns, { connectorDisabledAt: null, connectorDisabledReason: null });
    }
    return changes;
  }
}
