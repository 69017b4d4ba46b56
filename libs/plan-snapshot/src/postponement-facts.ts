import type { ServiceFacts } from '@stepwise/domain/plan.types';

/** An approved postponement as resolution reads it: recorded at its approval. */
export interface ApprovedPostponementRow {
  id: string;
  service_id: string;
  policy_id: string;
  phase_key: string;
  until: Date;
  decided_at: Date;
}

export const APPROVED_POSTPONEMENTS_SQL = `SELECT id, service_id, policy_id, phase_key, until, decided_at
  FROM postponements WHERE status = 'approved' ORDER BY service_id, decided_at, id`;

/** Adds each approved postponement to its service's facts (a decided row never changes again). */
export function addPostponements(services: ServiceFacts[], rows: readonly ApprovedPostponementRow[]): void {
  if (rows.length === 0) {
    return;
  }
  const byId = new Map(services.map((service) => [service.id, service]));
  for (const row of rows) {
    const service = byId.get(row.service_id);
    if (service === undefined) {
      continue;
    }
    (service.postponements ??= []).push({
      id: row.id,
      policy: row.policy_id,
      phase: row.phase_key,
      until: row.until.toISOString(),
      recordedAt: row.decided_at.toISOString(),
    });
  }
}
