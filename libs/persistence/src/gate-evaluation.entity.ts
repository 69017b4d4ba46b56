import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One evaluation of a phase's gates, append-only: outcome, and per gate the value, threshold and snapshots. */
@Entity({ name: 'gate_evaluations' })
@Index('gate_evaluations_phase_instant', ['policyId', 'phase', 'evaluatedAt'], { unique: true })
export class GateEvaluationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'policy_id', type: 'text' })
  policyId!: string;

  /** The revision whose gates were evaluated. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'text' })
  phase!: string;

  @Column({ name: 'evaluated_at', type: 'timestamptz' })
  evaluatedAt!: Date;

  @Column({ type: 'text' })
  outcome!: 'pass' | 'fail' | 'inconclusive';

  @Column({ type: 'jsonb' })
  checks!: unknown[];

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
