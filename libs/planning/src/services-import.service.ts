import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import { parseServicesFile, type ServicesFile } from '@stepwise/domain/services-file';
import { ConnectorSettings, type SealedConnector } from './connector-settings';
import { PlanChangeNotifier } from './plan-change-notifier';
import { concurrentImport, isUniqueViolation } from './planning-errors';
import { ServiceRegistrar } from './service-registrar';
import { ServiceRepository } from './service.repository';

export interface ServicesImportResult {
  kind: 'services';
  created: string[];
  unchanged: string[];
  /** Webhook secrets generated for created services (the file gave none): shown this once. */
  connectorSecrets: Record<string, string>;
}

export interface ServicesImportPreview {
  kind: 'services';
  create: string[];
  unchanged: string[];
}

/**
 * Loads `config/services/*.yaml`. Services already in the directory are left as they are (after
 * the seed, the directory is kept through the API, and a file must not undo that); new ones are
 * registered backdated to the file's dates, so history reads as the file describes it.
 */
@Injectable()
export class ServicesImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly services: ServiceRepository,
    private readonly registrar: ServiceRegistrar,
    private readonly connectors: ConnectorSettings,
    private readonly notifier: PlanChangeNotifier,
  ) {}

  async preview(document: unknown): Promise<ServicesImportPreview> {
    const file = this.parse(document);
    const existing = await this.services.findServiceIds(this.dataSource.manager);
    const ids = file.services.map((entry) => entry.id);
    return {
      kind: 'services',
      create: ids.filter((id) => !existing.has(id)),
      unchanged: ids.filter((id) => existing.has(id)),
    };
  }

  async import(context: AuditContext, document: unknown): Promise<ServicesImportResult> {
    const file = this.parse(document);
    const now = this.clock.now().toJSDate();
    // Webhook URLs of new services are checked (DNS) before the transaction, so no lock waits
    // on a resolver; services are never deleted, so one known now is still known inside it.
    const known = await this.services.findServiceIds(this.dataSource.manager);
    const sealed = new Map<string, SealedConnector>();
    for (const [index, entry] of file.services.entries()) {
      if (known.has(entry.id)) {
        continue;
      }
      sealed.set(entry.id, await this.connectors.seal(entry.connector, `services[${index}].connector`));
    }
    const result = await this.auditLog
      .change(context, async (tx) => {
        const existing = await this.services.findServiceIds(tx.manager);
        const outcome: ServicesImportResult = {
          kind: 'services',
          created: [],
          unchanged: [],
          connectorSecrets: {},
        };
        for (const entry of file.services) {
          const connector = sealed.get(entry.id);
          if (existing.has(entry.id) || connector === undefined) {
            outcome.unchanged.push(entry.id);
            continue;
          }
          await this.registrar.register(tx, entry, connector, { now, imported: true });
          outcome.created.push(entry.id);
          const generated = entry.connector.type === 'webhook' && entry.connector.secret === null;
          if (generated && connector.secretShownOnce) {
            outcome.connectorSecrets[entry.id] = connector.secretShownOnce;
          }
        }
        if (outcome.created.length > 0) {
          const after = { created: outcome.created, unchanged: outcome.unchanged };
          tx.audit({
            action: 'services.imported',
            resourceType: 'service-directory',
            resourceId: 'services',
            after,
          });
        }
        return outcome;
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? concurrentImport('this services file') : error;
      });
    await this.notifier.notify(...result.created.map((id) => ({ kind: 'service' as const, id })));
    return result;
  }

  private parse(document: unknown): ServicesFile {
    const parsed = parseServicesFile(document);
    if (!parsed.ok) {
      throw DomainError.validation(parsed.errors);
    }
    return parsed.value;
  }
}
