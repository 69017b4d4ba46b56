// The timeline's data as the API sends it (GET /api/v1/timeline), and what the page derives from it.

export interface Source {
  kind: string;
  phase?: string;
  rule?: string;
  /** A postponement's request id and date, when kind is postponement. */
  postponement?: string;
  until?: string;
}

export interface Band {
  from: string;
  to: string;
  level: string;
  revision: number | null;
  source: Source;
  since: string | null;
}

export interface Lane {
  policy: string;
  population: string;
  bands: Band[];
}

export interface Mark {
  policy: string;
  revision: number;
  phase: string;
  title: string;
  state: string;
  stateReason: string | null;
  level: string;
  at: string | null;
  tentative: string | null;
  drawAt: string | null;
}

export interface TimelineService {
  id: string;
  name: string;
  owner: string | null;
  tags: string[];
  lanes: Lane[];
  marks: Mark[];
}

export interface Timeline {
  from: string;
  to: string;
  now: string;
  asOf: string | null;
  policies: {
    id: string;
    title: string;
    timezone: string;
    populations: string[];
    revisions: { number: number; publishAt: string }[];
  }[];
  services: TimelineService[];
}

export const LEVEL_ORDER = ['none', 'expected', 'report-only', 'warn', 'enforced'];

/** The strongest level any shown lane of the service has at `at`. */
export function levelAt(service: TimelineService, at: number, population: string): string {
  let best = 0;
  for (const lane of service.lanes) {
    if (population !== '' && lane.population !== population) {
      continue;
    }
    for (const band of lane.bands) {
      if (Date.parse(band.from) <= at && at < Date.parse(band.to)) {
        best = Math.max(best, LEVEL_ORDER.indexOf(band.level));
      }
    }
  }
  return LEVEL_ORDER[best];
}

export interface Filters {
  q: string;
  tag: string;
  owner: string;
  population: string;
  level: string;
  group: '' | 'tag' | 'owner';
}

export type Row =
  { kind: 'group'; label: string; count: number } | { kind: 'service'; service: TimelineService };

export function rowsFor(timeline: Timeline, filters: Filters): { rows: Row[]; shown: number } {
  const now = Date.parse(timeline.now);
  const q = filters.q.trim().toLowerCase();
  const shown = timeline.services.filter(
    (service) =>
      (q === '' || service.id.includes(q) || service.name.toLowerCase().includes(q)) &&
      (filters.tag === '' || service.tags.includes(filters.tag)) &&
      (filters.owner === '' || service.owner === filters.owner) &&
      (filters.level === '' || levelAt(service, now, filters.population) === filters.level),
  );
  if (filters.group === '') {
    return { rows: shown.map((service) => ({ kind: 'service', service })), shown: shown.length };
  }
  const groups = new Map<string, TimelineService[]>();
  for (const service of shown) {
    const keys =
      filters.group === 'tag' ? (service.tags.length > 0 ? service.tags : ['—']) : [service.owner ?? '—'];
    for (const key of keys) {
      groups.set(key, [...(groups.get(key) ?? []), service]);
    }
  }
  const rows: Row[] = [];
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key) ?? [];
    rows.push({ kind: 'group', label: key, count: members.length });
    for (const service of members) {
      rows.push({ kind: 'service', service });
    }
  }
  return { rows, shown: shown.length };
}
