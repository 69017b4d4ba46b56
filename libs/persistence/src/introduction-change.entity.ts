import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ServiceEntity } from './service.entity';

/**
 * One statement of when a service was introduced, counting from `recordedAt` (null: not
 * introduced). Never updated: a correction is a new row, so earlier answers stay as they were.
 */
@Entity({ name: 'introduction_changes' })
@Index('introduction_changes_service_recorded', ['serviceId', 'recordedAt'])
export class IntroductionChangeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'service_id', type: 'text' })
  serviceId!: string;

  @ManyToOne(() => ServiceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'introduction_changes_service_fk' })
  service?: ServiceEntity;

  @Column({ name: 'introduced_at', type: 'timestamptz', nullable: true })
  introducedAt!: Date | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
