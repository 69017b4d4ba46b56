import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type NoticeKind = 'upcoming' | 'tentative' | 'updated' | 'cancelled';
/** pending: waiting for its due time; dispatched: put in a mail to every contact (or none had any). */
export type NoticeStatus = 'pending' | 'dispatched';

/**
 * The notices outbox (issue 21). `key` is (policy, service, transition instant or target, level,
 * lead time) for planned notices and (…, kind) for changes: planned again, a notice is not added
 * twice. Rows are never deleted; a superseded one keeps its row with `superseded_at`.
 */
@Entity({ name: 'notices' })
@Index('notices_due', ['dueAt'], { where: `status = 'pending' AND superseded_at IS NULL` })
@Index('notices_service', ['serviceId', 'id'])
export class NoticeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('notices_key', { unique: true })
  @Column({ type: 'text' })
  key!: string;

  @Column({ name: 'policy_id', type: 'text' })
  policyId!: string;

  @Column({ name: 'service_id', type: 'text' })
  serviceId!: string;

  @Column({ type: 'text' })
  kind!: NoticeKind;

  @Column({ name: 'transition_at', type: 'timestamptz', nullable: true })
  transitionAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  tentative!: string | null;

  @Column({ type: 'text' })
  level!: string;

  @Column({ name: 'from_level', type: 'text', nullable: true })
  fromLevel!: string | null;

  /** `phase:<key>`, `rule:<on>` or `statement`. */
  @Column({ type: 'text' })
  cause!: string;

  @Column({ type: 'text', array: true })
  populations!: string[];

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'lead_days', type: 'integer', nullable: true })
  leadDays!: number | null;

  /** For updated and cancelled notices: what changed (previous and new instant or target, level). */
  @Column({ type: 'jsonb', nullable: true })
  change!: Record<string, unknown> | null;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'text', default: 'pending' })
  status!: NoticeStatus;

  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;

  @Column({ name: 'superseded_by', type: 'bigint', nullable: true })
  supersededBy!: string | null;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
