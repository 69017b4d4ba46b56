import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SnapshotCounts } from '@stepwise/domain/adoption-file';

export interface StoredSnapshotView {
  id: string;
  population: string;
  asOf: string;
  eligible: number;
  registered: number;
  covered: number;
  exempt: number;
  source: string;
}

interface SnapshotRow {
  id: string;
  population: string;
  as_of: Date;
  eligible: number;
  registered: number;
  covered: number;
  exempt: number;
  source: string;
  recorded_at: Date;
}

export interface SnapshotProvenance {
  source: string;
  fileSha256: string;
  importedById: string;
  importedByName: string;
  recordedAt: Date;
}

export const toSnapshotView = (row: SnapshotRow): StoredSnapshotView => ({
  id: row.id,
  population: row.population,
  asOf: row.as_of.toISOString(),
  eligible: row.eligible,
  registered: row.registered,
  covered: row.covered,
  exempt: row.exempt,
  source: row.source,
});

const COLUMNS = 'id, population, as_of, eligible, registered, covered, exempt, source, recorded_at';

@Injectable()
export class AdoptionSnapshotRepository {
  /** Every population some policy lists. */
  async knownPopulations(manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ population: string }[]>(
      'SELECT DISTINCT unnest(populations) AS population FROM policies ORDER BY 1',
    );
    return rows.map((row) => row.population);
  }

  async fileKnown(manager: EntityManager, sha256: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      'SELECT 1 FROM adoption_snapshots WHERE file_sha256 = $1 LIMIT 1',
      [sha256],
    );
    return rows.length > 0;
  }

  /**
   * Stores the counts; `covered` is `registered` plus the loans of the population active at the
   * snapshot's instant (a device lent and not yet returned then).
   */
  async insert(
    manager: EntityManager,
    counts: SnapshotCounts[],
    provenance: SnapshotProvenance,
  ): Promise<StoredSnapshotView[]> {
    const rows = await manager.query<SnapshotRow[]>(
      `INSERT INTO adoption_snapshots
         (population, as_of, eligible, registered, covered, exempt, source, file_sha256, imported_by_id, imported_by_name, recorded_at)
       SELECT c.population, c.as_of, c.eligible, c.registered,
              LEAST(c.eligible, c.registered + ${this.activeLoansSql()}), c.exempt, $6, $7, $8, $9, $10
       FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::int[], $5::int[])
            AS c(population, as_of, eligible, registered, exempt)
       RETURNING ${COLUMNS}`,
      [
        counts.map((c) => c.population),
        counts.map((c) => new Date(c.asOf).toISOString()),
        counts.map((c) => c.eligible),
        counts.map((c) => c.registered),
        counts.map((c) => c.exempt),
        provenance.source,
        provenance.fileSha256,
        provenance.importedById,
        provenance.importedByName,
        provenance.recordedAt,
      ],
    );
    return rows.map(toSnapshotView);
  }

  /** The devices lent to the snapshot's population and out at its instant (issued, not yet returned). */
  private activeLoansSql(): string {
    return `(SELECT count(*)::int FROM device_loans l WHERE l.population = c.population
              AND l.issued_at <= c.as_of AND (l.returned_at IS NULL OR l.returned_at > c.as_of))`;
  }

  /** The newest snapshot of each population, as known at asOf. */
  async latest(manager: EntityManager, asOf: Date): Promise<StoredSnapshotView[]> {
    const rows = await manager.query<SnapshotRow[]>(
      `SELECT DISTINCT ON (population) ${COLUMNS} FROM adoption_snapshots
       WHERE recorded_at <= $1 AND as_of <= $1 ORDER BY population, as_of DESC, id DESC`,
      [asOf],
    );
    return rows.map(toSnapshotView);
  }

  /** History, newest first, keyset by (as_of, id). */
  async history(
    manager: EntityManager,
    filter: { population?: string; before?: { asOf: string; id: string }; limit: number },
  ): Promise<StoredSnapshotView[]> {
    const params: unknown[] = [filter.limit];
    const where: string[] = [];
    if (filter.population !== undefined) {
      params.push(filter.population);
      where.push(`population = $${params.length}`);
    }
    if (filter.before !== undefined) {
      params.push(filter.before.asOf, filter.before.id);
      where.push(`(as_of, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    const rows = await manager.query<SnapshotRow[]>(
      `SELECT ${COLUMNS} FROM adoption_snapshots ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY as_of DESC, id DESC LIMIT $1`,
      params,
    );
    return rows.map(toSnapshotView);
  }
}
