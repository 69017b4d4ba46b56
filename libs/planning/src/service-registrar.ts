import { Injectable } from '@nestjs/common';
import type { AuditedTransaction } from '@stepwise/audit/audit-log';
import type { ServiceFileEntry } from '@stepwise/domain/services-file';
import { ServiceEntity } from '@stepwise/persistence/service.entity';
import type { SealedConnector } from './connector-settings';
import { duplicate } from './planning-errors';
import { ServiceRepository } from './service.repository';
import { serviceAuditView } from './service-view';

const earliest = (...dates: (Date | null)[]): Date =>
  new Date(Math.min(...dates.filter((date): date is Date => date !== null).map((date) => date.getTime())));

/**
 * Registers one service with its initial capability fact, inside the caller's transaction, for
 * both `POST /services` and the services-file import. An import is backdated: the directory then
 * says it knew the service and its readiness since the file's dates (`recordedAt` = that date,
 * flagged `imported`), so "what did the plan say on 2024-03-15" sees the seed as it was.
 */
@Injectable()
export class ServiceRegistrar {
  constructor(private readonly services: ServiceRepository) {}

  async register(
    { manager, audit }: AuditedTransaction,
    entry: ServiceFileEntry,
    connector: SealedConnector,
    options: { now: Date; imported: boolean },
  ): Promise<ServiceEntity> {
    if (await this.services.findService(manager, entry.id)) {
      throw duplicate('service', entry.id);
    }
    const { now, imported } = options;
    const introducedAt = entry.introducedAt === null ? null : new Date(entry.introducedAt);
    const readySince = entry.readySince === null ? null : new Date(entry.readySince);
    const recordedAt = imported ? earliest(now, introducedAt, readySince) : now;
    const service = manager.create(ServiceEntity, {
      id: entry.id,
      name: entry.name,
      owner: entry.owner,
      tags: entry.tags,
      introducedAt,
      ...connector.columns,
      connectorDisabledAt: null,
      connectorDisabledReason: null,
      version: 1,
      recordedAt,
      updatedAt: now,
      imported,
    });
    await this.services.insertService(manager, service);
    if (introducedAt !== null) {
      await this.services.appendIntroduction(manager, { serviceId: entry.id, introducedAt, recordedAt });
    }
    const effectiveAt = entry.mfaCapability === 'ready' && readySince !== null ? readySince : recordedAt;
    const fact = {
      serviceId: entry.id,
      mfaCapability: entry.mfaCapability,
      effectiveAt,
      recordedAt: imported ? earliest(now, effectiveAt) : now,
      imported,
    };
    await this.services.appendCapabilityChange(manager, fact);
    audit({
      action: 'service.created',
      resourceType: 'service',
      resourceId: service.id,
      after: { ...serviceAuditView(service), capability: fact },
      reason: imported ? 'imported from a services file' : null,
    });
    return service;
  }
}
