import { Check, Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { ServiceEntity } from './service.entity';

/**
 * Desired and applied state of one service's rules. The desired half (generation, hash, rules,
 * next_change_at, computed_at) is a pure function of the plan, rewritten only when the document
 * changes; the applied half moves forward only through fenced writes
 * (`WHERE applied_generation < $g`), so a late worker can never move a service backwards.
 */
@Entity({ name: 'service_rules' })
@Index('service_rules_next_change_at', ['nextChangeAt'])
// Every worker pass looks for requested redeliveries: few rows, never a scan of the directory.
@Index('service_rules_redelivery_requested', ['serviceId'], {
  where: '"redelivery_requested_at" IS NOT NULL',
})
// The database itself refuses an applied generation that was never issued.
@Check('service_rules_applied_issued', '"applied_generation" <= "generation"')
export class ServiceRulesEntity {
  @PrimaryColumn({ name: 'service_id', type: 'text' })
  serviceId!: string;

  @OneToOne(() => ServiceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'service_id', foreignKeyConstraintName: 'service_rules_service_fk' })
  service?: ServiceEntity;

  /** Grows by one exactly when the document (hash) changes. */
  @Column({ type: 'integer' })
  generation!: number;

  /** `sha256:<hex>` of the canonical `{service, rules, nextChangeAt}`. */
  @Column({ type: 'text' })
  hash!: string;

  /**
   * json, not jsonb: the text is kept as written (the documented key order), so a delivery can
   * send it as is; jsonb would re-order keys and force a parse and re-serialisation per send.
   */
  @Column({ type: 'json' })
  rules!: unknown[];

  @Column({ name: 'next_change_at', type: 'timestamptz', nullable: true })
  nextChangeAt!: Date | null;

  /** When this generation was computed; the rules document's `computedAt`. */
  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;

  @Column({ name: 'applied_generation', type: 'integer', default: 0 })
  appliedGeneration!: number;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt!: Date | null;

  /** Webhook sends since the last applied generation (reset when one is applied). */
  @Column({ name: 'delivery_attempts', type: 'integer', default: 0 })
  deliveryAttempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  /** Sends of a generation the receiver may already have had (same webhook-id sent again). */
  @Column({ name: 'duplicate_deliveries', type: 'integer', default: 0 })
  duplicateDeliveries!: number;

  /** Generation of the last send started, and whether its outcome is still unknown. */
  @Column({ name: 'sent_generation', type: 'integer', nullable: true })
  sentGeneration!: number | null;

  @Column({ name: 'send_open', type: 'boolean', default: false })
  sendOpen!: boolean;

  /**
   * A planner's redelivery (or a new webhook connector) asked for the current generation to be
   * sent again although it is applied; cleared when a send claimed after it is applied.
   */
  @Column({ name: 'redelivery_requested_at', type: 'timestamptz', nullable: true })
  redeliveryRequestedAt!: Date | null;

  /**
   * The request the last claimed send answers (`redelivery_requested_at` as that claim read it):
   * its apply clears the request only if no newer one came while it was in flight.
   */
  @Column({ name: 'sent_redelivery_requested_at', type: 'timestamptz', nullable: true })
  sentRedeliveryRequestedAt!: Date | null;

  /** Until when a started send owns the service: another job's claim waits rather than send twice. */
  @Column({ name: 'send_lease_until', type: 'timestamptz', nullable: true })
  sendLeaseUntil!: Date | null;
}
