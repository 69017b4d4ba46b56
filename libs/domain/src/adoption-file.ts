import { parseDateOrInstant } from './dates';
import type { FieldError } from './field-error';

// Adoption files reduced to counts while they stream: the header is checked once (unknown or
// missing columns refuse the whole file), then each row is read or counted as bad by its line.

export type AdoptionFormat = 'generic' | 'entra' | 'okta' | 'google';
export const ADOPTION_FORMATS: readonly AdoptionFormat[] = ['generic', 'entra', 'okta', 'google'];

/** Counts of one population at one instant, as read from a file (covered is added at import from loans). */
export interface SnapshotCounts {
  population: string;
  asOf: number;
  eligible: number;
  registered: number;
  exempt: number;
}

export interface BadRow {
  line: number;
  message: string;
}

/** How many bad rows are named in an answer; all are counted. */
export const BAD_ROWS_NAMED = 100;

export interface ColumnSpec {
  required: readonly string[];
  optional: readonly string[];
}

export const GENERIC_COLUMNS: ColumnSpec = {
  required: ['population', 'asOf', 'eligible', 'registered'],
  optional: ['exempt'],
};

/** Errors naming every unknown and every missing column (empty: the header is fine). */
export function checkColumns(header: readonly string[], spec: ColumnSpec): FieldError[] {
  const known = new Set([...spec.required, ...spec.optional]);
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const column of header) {
    if (!known.has(column)) {
      errors.push({ field: `columns.${column}`, message: 'is not a column of this format' });
    } else if (seen.has(column)) {
      errors.push({ field: `columns.${column}`, message: 'appears twice' });
    }
    seen.add(column);
  }
  for (const column of spec.required) {
    if (!seen.has(column)) {
      errors.push({ field: `columns.${column}`, message: 'is missing' });
    }
  }
  return errors;
}

function count(value: unknown, name: string): number | string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^(0|[1-9][0-9]{0,8})$/.test(text)) {
    return `${name} must be a whole number from 0`;
  }
  return Number(text);
}

/** Collects counts row by row; a file is many snapshots (one per population and instant). */
export class SnapshotCollector {
  readonly bad: BadRow[] = [];
  badCount = 0;
  rows = 0;
  private readonly byKey = new Map<string, SnapshotCounts & { line: number }>();

  constructor(
    private readonly populations: ReadonlySet<string>,
    private readonly zone: string,
  ) {}

  reject(line: number, message: string): void {
    this.badCount += 1;
    if (this.bad.length < BAD_ROWS_NAMED) {
      this.bad.push({ line, message });
    }
  }

  /** One row of the generic format, already split into named columns. */
  addGeneric(record: Readonly<Record<string, unknown>>, line: number): void {
    this.rows += 1;
    const population = typeof record.population === 'string' ? record.population.trim() : '';
    if (!this.populations.has(population)) {
      return this.reject(line, `population '${population}' is not a population of any policy`);
    }
    const asOf = parseDateOrInstant(typeof record.asOf === 'string' ? record.asOf.trim() : '', this.zone);
    if (!asOf.ok) {
      return this.reject(line, `asOf ${asOf.message}`);
    }
    const eligible = count(record.eligible, 'eligible');
    const registered = count(record.registered, 'registered');
    const exempt = record.exempt === undefined || record.exempt === '' ? 0 : count(record.exempt, 'exempt');
    for (const value of [eligible, registered, exempt]) {
      if (typeof value === 'string') {
        return this.reject(line, value);
      }
    }
    const counts = { population, asOf: asOf.ms, eligible, registered, exempt } as SnapshotCounts;
    if (counts.registered > counts.eligible || counts.exempt > counts.eligible) {
      return this.reject(line, 'registered and exempt cannot exceed eligible');
    }
    const key = `${population}@${asOf.ms}`;
    const first = this.byKey.get(key);
    if (first !== undefined) {
      return this.reject(line, `repeats ${population} at the same asOf as line ${first.line}`);
    }
    this.byKey.set(key, { ...counts, line });
  }

  /** Adds one person of a per-person export to their population's counts at `asOf`. */
  addPerson(population: string, asOf: number, outcome: 'registered' | 'unregistered' | 'exempt'): void {
    const key = `${population}@${asOf}`;
    let counts = this.byKey.get(key);
    if (counts === undefined) {
      counts = { population, asOf, eligible: 0, registered: 0, exempt: 0, line: 0 };
      this.byKey.set(key, counts);
    }
    counts.eligible += 1;
    if (outcome === 'registered') {
      counts.registered += 1;
    } else if (outcome === 'exempt') {
      counts.exempt += 1;
    }
  }

  snapshots(): SnapshotCounts[] {
    return [...this.byKey.values()]
      .map(({ population, asOf, eligible, registered, exempt }) => ({
        population,
        asOf,
        eligible,
        registered,
        exempt,
      }))
      .sort((a, b) => a.asOf - b.asOf || (a.population < b.population ? -1 : 1));
  }
}
