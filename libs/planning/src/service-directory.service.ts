import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { parseServicesFile, type ServiceFileEntry } from '@stepwise/domain/services-file';
import { ConnectorSettings } from './connector-settings';
import { PlanChangeNotifier } from './plan-change-notifier';
import { isUniqueViolation, duplicate, readInstantField, rerooted } from './planning-errors';
import type { CapabilityChangeInput } from './service-input';
import { ServiceRegistrar } from './service-registrar';
import { ServiceRepository } from './service.repository';
import { toServiceView, type ServiceView } from './service-view';

/** Registers services and records dated readiness changes; each change audited with it. */
@Injectable()
export class ServiceDirectory {
  private readonly timezone: string;

  constructor(
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly services: ServiceRepository,
    private readonly registrar: ServiceRegistrar,
    private readonly connectors: ConnectorSettings,
    private readonly notifier: PlanChangeNotifier,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.timezone = config.get('STEPWISE_TIMEZONE', { infer: true });
  }

  /**
   * `{id, name, owner?, tags?, introducedAt?, mfaCapability, readySince?, connector}`, read by the
   * same reader as a services file so both accept exactly the same; errors name the field.
   */
  async create(context: AuditContext, body: unknown): Promise<ServiceView> {
    const entry = this.readEntry(body);
    const connector = await this.connectors.seal(entry.connector);
    const now = this.clock.now().toJSDate();
    const view = await this.auditLog
      .change(context, async (tx) => {
        const service = await this.registrar.register(tx, entry, connector, { now, imported: false });
        const history = await this.services.findCapabilityHistories(tx.manager, [service.id]);
        return toServiceView(service, history.get(service.id) ?? [], now);
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? duplicate('service', entry.id) : error;
      });
    await this.notifier.notify({ kind: 'service', id: view.id });
    if (connector.secretShownOnce !== null) {
      view.connector.secret = connector.secretShownOnce;
    }
    return view;
  }

  /** Appends a fact (never overwrites one); `effectiveAt` defaults to now. */
  async changeCapability(
    context: AuditContext,
    id: string,
    input: CapabilityChangeInput,
  ): Promise<ServiceView> {
    const now = this.clock.now().toJSDate();
    const effectiveAt =
      input.effectiveAt === undefined
        ? now
        : readInstantField(input.effectiveAt, 'effectiveAt', this.timezone);
    const view = await this.auditLog.change(context, async ({ manager, audit }) => {
      const service = await this.services.findService(manager, id);
      if (!service) {
        throw DomainError.notFound('service', id);
      }
      const before = await this.services.findCapabilityHistories(manager, [id]);
      const fact = {
        serviceId: id,
        mfaCapability: input.mfaCapability,
        effectiveAt,
        recordedAt: now,
        imported: false,
      };
      await this.services.appendCapabilityChange(manager, fact);
      const version = await this.services.bumpVersion(manager, id, now);
      const after = await this.services.findCapabilityHistories(manager, [id]);
      const updated = { ...service, version, updatedAt: now };
      audit({
        action: 'service.capability-changed',
        resourceType: 'service',
        resourceId: id,
        before: { mfaCapability: toServiceView(service, before.get(id) ?? [], now).mfaCapability },
        after: {
          mfaCapability: fact.mfaCapability,
          effectiveAt: effectiveAt.toISOString(),
          recordedAt: now.toISOString(),
        },
      });
      return toServiceView(updated, after.get(id) ?? [], now);
    });
    await this.notifier.notify({ kind: 'service', id });
    return view;
  }

  private readEntry(body: unknown): ServiceFileEntry {
    const parsed = parseServicesFile({ timezone: this.timezone, services: [body] });
    if (!parsed.ok) {
      throw DomainError.validation(rerooted(parsed.errors, 'services[0]'));
    }
    return parsed.value.services[0];
  }
}
