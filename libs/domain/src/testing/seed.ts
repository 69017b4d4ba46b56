import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import type { PolicyWithRevisions, ServiceFacts } from '../plan.types';
import { parsePlanFile, parseServicesFile } from '../plan-file';

// The shipped seed (config/plans/utokyo-mfa.yaml, config/services/utokyo.yaml) as the domain
// takes it, for specs that check behaviour against the announcement.

const CONFIG = resolvePath(__dirname, '../../../../config');
const load = (file: string): unknown => parse(readFileSync(resolvePath(CONFIG, file), 'utf8'));
export const tokyo = (local: string) => DateTime.fromISO(local, { zone: 'Asia/Tokyo' }).toMillis();
export const tokyoIso = (local: string) => new Date(tokyo(local)).toISOString();

export function loadSeed(): { policy: PolicyWithRevisions; services: Map<string, ServiceFacts> } {
  const servicesFile = parseServicesFile(load('services/utokyo.yaml'));
  if (!servicesFile.ok) {
    throw new Error(JSON.stringify(servicesFile.errors));
  }
  const planFile = parsePlanFile(
    load('plans/utokyo-mfa.yaml'),
    new Set(servicesFile.value.services.map((s) => s.id)),
  );
  if (!planFile.ok) {
    throw new Error(JSON.stringify(planFile.errors));
  }
  // Facts are treated as recorded at their effective dates; services without a date were
  // registered at the start of 2024.
  const registered = tokyoIso('2024-01-01');
  const services = new Map<string, ServiceFacts>();
  for (const entry of servicesFile.value.services) {
    const effectiveAt = entry.readySince ?? registered;
    const recordedAt = effectiveAt < registered ? effectiveAt : registered;
    services.set(entry.id, {
      id: entry.id,
      tags: entry.tags,
      recordedAt,
      introductions: entry.introducedAt === null ? [] : [{ introducedAt: entry.introducedAt, recordedAt }],
      capabilityChanges: [{ mfaCapability: entry.mfaCapability, effectiveAt, recordedAt: effectiveAt }],
    });
  }
  const revisions = planFile.value.revisions.map((revision, index) => ({
    number: index + 1,
    publishAt: revision.publishAt,
    recordedAt: revision.publishAt,
    plan: revision.plan,
  }));
  return { policy: { policy: planFile.value.policy, revisions }, services };
}
