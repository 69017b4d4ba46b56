import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ServiceEntity } from './service.entity';

export type ContactLanguage = 'ja' | 'en';

/** A person told about a service's upcoming transitions (issue 21). */
@Entity({ name: 'service_contacts' })
@Index('service_contacts_service_email', ['serviceId', 'email'], { unique: true })
export class ServiceContactEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'service_id', type: 'text' })
  serviceId!: string;

  @ManyToOne(() => ServiceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_contacts_service_fk' })
  service?: ServiceEntity;

  @Column({ type: 'text' })
  name!: string;

  /** Stored lower-cased: one address is one contact per service. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  language!: ContactLanguage;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
