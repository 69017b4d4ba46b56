import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { PolicyEntity } from './policy.entity';
import { ServiceEntity } from './service.entity';

export type PostponementStatus = 'requested' | 'approved' | 'rejected' | 'withdrawn';

/**
 * A service owner's request to postpone one phase of a policy for their service, and the
 * planner's decision. Once approved it is a dated fact (from `decidedAt` until `until`) that
 * resolution reads like a capability change; a decided row is never changed again.
 */
@Entity({ name: 'postponements' })
@Index('postponements_service', ['serviceId', 'id'])
@Index('postponements_one_open', ['policyId', 'phaseKey', 'serviceId'], {
  unique: true,
  where: `"status" = 'requested'`,
})
export class PostponementEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'policy_id', type: 'text' })
  policyId!: string;

  @ManyToOne(() => PolicyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_id', foreignKeyConstraintName: 'postponements_policy_fk' })
  policy?: PolicyEntity;

  @Column({ name: 'phase_key', type: 'text' })
  phaseKey!: string;

  @Column({ name: 'service_id', type: 'text' })
  serviceId!: string;

  @ManyToOne(() => ServiceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'postponements_service_fk' })
  service?: ServiceEntity;

  /** The postponed date: the phase applies to the service from then on. */
  @Column({ type: 'timestamptz' })
  until!: Date;

  /** `until` as the owner wrote it (a date is read in the policy's zone). */
  @Column({ name: 'until_text', type: 'text' })
  untilText!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  status!: PostponementStatus;

  @Column({ name: 'requested_by_id', type: 'text' })
  requestedById!: string;

  @Column({ name: 'requested_by_name', type: 'text' })
  requestedByName!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'decided_by_id', type: 'text', nullable: true })
  decidedById!: string | null;

  @Column({ name: 'decided_by_name', type: 'text', nullable: true })
  decidedByName!: string | null;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason!: string | null;

  /** When it was approved or rejected; for an approval, when the fact was recorded. */
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;
}
