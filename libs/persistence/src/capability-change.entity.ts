import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ServiceEntity } from './service.entity';

/** One dated MFA-readiness fact of a service. Never updated: history is kept. */
@Entity({ name: 'capability_changes' })
@Index('capability_changes_service_effective', ['serviceId', 'effectiveAt'])
export class CapabilityChangeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'service_id', type: 'text' })
  serviceId!: string;

  @ManyToOne(() => ServiceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'capability_changes_service_fk' })
  service?: ServiceEntity;

  @Column({ name: 'mfa_capability', type: 'text' })
  mfaCapability!: 'ready' | 'not-ready';

  @Column({ name: 'effective_at', type: 'timestamptz' })
  effectiveAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ type: 'boolean', default: false })
  imported!: boolean;
}
