import { capabilityAt, compileService } from '@stepwise/domain/compiled-service';
import type { MfaCapability } from '@stepwise/domain/plan.types';
import type { CapabilityChangeEntity } from '@stepwise/persistence/capability-change.entity';
import type { ConnectorType, ServiceEntity } from '@stepwise/persistence/service.entity';

export interface CapabilityFactView {
  mfaCapability: MfaCapability;
  effectiveAt: string;
  recordedAt: string;
  imported: boolean;
}

export interface ConnectorView {
  type: ConnectorType;
  url: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
  /** Only in the answer that set it: the webhook secret, shown once. */
  secret?: string;
}

export interface ServiceView {
  id: string;
  name: string;
  owner: string | null;
  tags: string[];
  introducedAt: string | null;
  /** Capability now, from the facts recorded so far. */
  mfaCapability: MfaCapability;
  /** Start of the current ready spell; null when not ready. */
  readySince: string | null;
  capabilityHistory: CapabilityFactView[];
  connector: ConnectorView;
  version: number;
  recordedAt: string;
  updatedAt: string;
  imported: boolean;
}

const iso = (date: Date): string => date.toISOString();
const isoOrNull = (date: Date | null): string | null => (date === null ? null : iso(date));

/** The service as callers see it; its current capability is what the domain reads from the facts. */
export function toServiceView(
  service: ServiceEntity,
  history: readonly CapabilityChangeEntity[],
  now: Date,
): ServiceView {
  const capabilityHistory = history.map((fact) => ({
    mfaCapability: fact.mfaCapability,
    effectiveAt: iso(fact.effectiveAt),
    recordedAt: iso(fact.recordedAt),
    imported: fact.imported,
  }));
  // Only the capability is read here, so the introduction's history is not needed.
  const compiled = compileService({
    id: service.id,
    tags: service.tags,
    recordedAt: iso(service.recordedAt),
    introductions: [],
    capabilityChanges: capabilityHistory,
  });
  const current = capabilityAt(compiled, now.getTime(), now.getTime());
  return {
    id: service.id,
    name: service.name,
    owner: service.owner,
    tags: service.tags,
    introducedAt: isoOrNull(service.introducedAt),
    mfaCapability: current.capability,
    readySince:
      current.capability === 'ready' && current.spellStart !== null
        ? new Date(current.spellStart).toISOString()
        : null,
    capabilityHistory,
    connector: {
      type: service.connectorType,
      url: service.webhookUrl,
      disabledAt: isoOrNull(service.connectorDisabledAt),
      disabledReason: service.connectorDisabledReason,
    },
    version: service.version,
    recordedAt: iso(service.recordedAt),
    updatedAt: iso(service.updatedAt),
    imported: service.imported,
  };
}

/** What the audit log keeps of a service: never the webhook secret, sealed or not. */
export function serviceAuditView(service: ServiceEntity): Record<string, unknown> {
  return {
    id: service.id,
    name: service.name,
    owner: service.owner,
    tags: service.tags,
    introducedAt: isoOrNull(service.introducedAt),
    connector: { type: service.connectorType, url: service.webhookUrl },
    version: service.version,
    imported: service.imported,
  };
}
