import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Counts of one population at one instant, from one imported file. Only counts: no per-person row
 * is ever stored. Never updated: a later file adds a later snapshot.
 */
@Entity({ name: 'adoption_snapshots' })
@Index('adoption_snapshots_population_as_of', ['population', 'asOf'])
@Index('adoption_snapshots_file_population', ['fileSha256', 'population', 'asOf'], { unique: true })
export class AdoptionSnapshotEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  population!: string;

  @Column({ name: 'as_of', type: 'timestamptz' })
  asOf!: Date;

  @Column({ type: 'integer' })
  eligible!: number;

  @Column({ type: 'integer' })
  registered!: number;

  /** registered plus the people of the population holding an active loaned device at import. */
  @Column({ type: 'integer' })
  covered!: number;

  @Column({ type: 'integer' })
  exempt!: number;

  /** The file's format (`generic-csv`, `okta`, …). */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'file_sha256', type: 'text' })
  fileSha256!: string;

  @Column({ name: 'imported_by_id', type: 'text' })
  importedById!: string;

  @Column({ name: 'imported_by_name', type: 'text' })
  importedByName!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
