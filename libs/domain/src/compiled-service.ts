import { storedInstantMs } from './dates';
import type { MfaCapability, ServiceFacts } from './plan.types';

// Directory facts are bitemporal: a fact counts once recorded (recordedAt <= asOf) and
// applies from its effectiveAt (<= at).

interface CompiledCapabilityChange {
  capability: MfaCapability;
  effectiveAt: number;
  recordedAt: number;
}

export interface CompiledService {
  readonly kind: 'compiled-service';
  id: string;
  tags: ReadonlySet<string>;
  introducedAt: number | null;
  recordedAt: number;
  /** Ordered by effectiveAt, then recordedAt: a later correction for the same instant wins. */
  changes: readonly CompiledCapabilityChange[];
}

export type ServiceInput = ServiceFacts | CompiledService;

/** Capability at an instant and when the current spell of it began (null: never stated, not-ready). */
export interface CapabilityState {
  capability: MfaCapability;
  spellStart: number | null;
}

export function compileService(input: ServiceInput): CompiledService {
  if ('kind' in input) return input;
  const changes = input.capabilityChanges
    .map((change) => ({
      capability: change.mfaCapability,
      effectiveAt: storedInstantMs(change.effectiveAt),
      recordedAt: storedInstantMs(change.recordedAt),
    }))
    .sort((a, b) => a.effectiveAt - b.effectiveAt || a.recordedAt - b.recordedAt);
  return {
    kind: 'compiled-service',
    id: input.id,
    tags: new Set(input.tags),
    introducedAt: input.introducedAt === null ? null : storedInstantMs(input.introducedAt),
    recordedAt: storedInstantMs(input.recordedAt),
    changes,
  };
}

export function capabilityAt(service: CompiledService, at: number, asOf: number): CapabilityState {
  let capability: MfaCapability = 'not-ready';
  let spellStart: number | null = null;
  for (const change of service.changes) {
    if (change.effectiveAt > at) break;
    if (change.recordedAt > asOf || change.capability === capability) continue;
    capability = change.capability;
    spellStart = change.effectiveAt;
  }
  return { capability, spellStart };
}

/** The introduction instant as known at asOf (the service's registration records it). */
export function knownIntroducedAt(service: CompiledService, asOf: number): number | null {
  return service.recordedAt <= asOf ? service.introducedAt : null;
}

/** Instants at which this service's facts may change a level; `asOf` null = live timeline. */
export function serviceInstants(service: CompiledService, asOf: number | null): number[] {
  const instants: number[] = [];
  for (const change of service.changes) {
    if (asOf === null) instants.push(change.effectiveAt, change.recordedAt);
    else if (change.recordedAt <= asOf) instants.push(change.effectiveAt);
  }
  const introducedAt = asOf === null ? service.introducedAt : knownIntroducedAt(service, asOf);
  if (introducedAt !== null) instants.push(introducedAt);
  if (asOf === null) instants.push(service.recordedAt);
  return instants;
}
