import { storedInstantMs } from './dates';
import type { MfaCapability, ServiceFacts } from './plan.types';
import { type CompiledPostponement, compilePostponements, postponementInstants } from './postponement';

// Directory facts are bitemporal: a fact counts once recorded (recordedAt <= asOf) and
// applies from its effectiveAt (<= at).

interface CompiledIntroduction {
  introducedAt: number | null;
  recordedAt: number;
}

interface CompiledCapabilityChange {
  capability: MfaCapability;
  effectiveAt: number;
  recordedAt: number;
}

export interface CompiledService {
  readonly kind: 'compiled-service';
  id: string;
  tags: ReadonlySet<string>;
  recordedAt: number;
  /** Ordered by recordedAt: of two statements recorded at one instant, the later listed wins. */
  introductions: readonly CompiledIntroduction[];
  /** Ordered by effectiveAt, then recordedAt: a later correction for the same instant wins. */
  changes: readonly CompiledCapabilityChange[];
  /** Approved postponements, ordered by recordedAt. */
  postponements: readonly CompiledPostponement[];
}

export type ServiceInput = ServiceFacts | CompiledService;

/** Capability at an instant and when the current spell of it began (null: never stated, not-ready). */
export interface CapabilityState {
  capability: MfaCapability;
  spellStart: number | null;
}

export function compileService(input: ServiceInput): CompiledService {
  if ('kind' in input) {
    return input;
  }
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
    recordedAt: storedInstantMs(input.recordedAt),
    introductions: input.introductions
      .map((fact) => ({
        introducedAt: fact.introducedAt === null ? null : storedInstantMs(fact.introducedAt),
        recordedAt: storedInstantMs(fact.recordedAt),
      }))
      .sort((a, b) => a.recordedAt - b.recordedAt),
    changes,
    postponements: compilePostponements(input.postponements),
  };
}

export function capabilityAt(service: CompiledService, at: number, asOf: number): CapabilityState {
  let capability: MfaCapability = 'not-ready';
  let spellStart: number | null = null;
  for (const change of service.changes) {
    if (change.effectiveAt > at) {
      break;
    }
    if (change.recordedAt > asOf || change.capability === capability) {
      continue;
    }
    capability = change.capability;
    spellStart = change.effectiveAt;
  }
  return { capability, spellStart };
}

/** The introduction instant as known at asOf: the last statement of it recorded by then. */
export function knownIntroducedAt(service: CompiledService, asOf: number): number | null {
  let introducedAt: number | null = null;
  for (const fact of service.introductions) {
    if (fact.recordedAt > asOf) {
      break;
    }
    introducedAt = fact.introducedAt;
  }
  return introducedAt;
}

/** Instants at which this service's facts may change a level; `asOf` null = live timeline. */
export function serviceInstants(service: CompiledService, asOf: number | null): number[] {
  const instants: number[] = [];
  for (const change of service.changes) {
    if (asOf === null) {
      instants.push(change.effectiveAt, change.recordedAt);
    } else if (change.recordedAt <= asOf) {
      instants.push(change.effectiveAt);
    }
  }
  if (asOf === null) {
    for (const fact of service.introductions) {
      instants.push(fact.recordedAt);
      if (fact.introducedAt !== null) {
        instants.push(fact.introducedAt);
      }
    }
    instants.push(service.recordedAt);
  } else {
    const introducedAt = knownIntroducedAt(service, asOf);
    if (introducedAt !== null) {
      instants.push(introducedAt);
    }
  }
  instants.push(...postponementInstants(service.postponements, asOf));
  return instants;
}
