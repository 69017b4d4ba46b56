import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ConnectorType = 'pull' | 'webhook';

/** A downstream information system in the directory. */
@Entity({ name: 'services' })
export class ServiceEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Index()
  @Column({ type: 'text', nullable: true })
  owner!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ name: 'introduced_at', type: 'timestamptz', nullable: true })
  introducedAt!: Date | null;

  @Column({ name: 'connector_type', type: 'text' })
  connectorType!: ConnectorType;

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl!: string | null;

  /** The Standard Webhooks secret, encrypted with STEPWISE_SECRET_KEY. */
  @Column({ name: 'webhook_secret_enc', type: 'text', nullable: true })
  webhookSecretEncrypted!: string | null;

  @Column({ name: 'connector_disabled_at', type: 'timestamptz', nullable: true })
  connectorDisabledAt!: Date | null;

  @Column({ name: 'connector_disabled_reason', type: 'text', nullable: true })
  connectorDisabledReason!: string | null;

  /** Optimistic-concurrency version, the service's ETag. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** When the directory learnt of the service (its registration's recordedAt). */
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'boolean', default: false })
  imported!: boolean;
}
