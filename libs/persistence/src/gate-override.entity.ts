import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A planner's release (or hold) of a gated phase, with reason and expiry; it acts only once a second
 * planner approved it, from the approval until `expiresAt`.
 */
@Entity({ name: 'gate_overrides' })
@Index('gate_overrides_policy_phase', ['policyId', 'phase'])
export class GateOverrideEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'policy_id', type: 'text' })
  policyId!: string;

  @Column({ type: 'text' })
  phase!: string;

  @Column({ type: 'text' })
  action!: 'release' | 'hold';

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'text' })
  status!: 'requested' | 'approved';

  @Column({ name: 'requested_by_id', type: 'text' })
  requestedById!: string;

  @Column({ name: 'requested_by_name', type: 'text' })
  requestedByName!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'approved_by_id', type: 'text', nullable: true })
  approvedById!: string | null;

  @Column({ name: 'approved_by_name', type: 'text', nullable: true })
  approvedByName!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;
}
