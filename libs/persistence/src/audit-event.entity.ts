import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One audited event. Append-only: the database refuses UPDATE, DELETE and TRUNCATE (see the
 * migration). `seq` is gap-free because it is taken from the locked head row, not a sequence.
 */
@Entity({ name: 'audit_events' })
@Index('audit_events_action_seq', ['action', 'seq'])
@Index('audit_events_resource_seq', ['resourceType', 'resourceId', 'seq'])
@Index('audit_events_actor_seq', ['actorId', 'seq'])
@Index('audit_events_occurred_seq', ['occurredAt', 'seq'])
export class AuditEventEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_id', type: 'text' })
  actorId!: string;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'resource_type', type: 'text' })
  resourceType!: string;

  @Column({ name: 'resource_id', type: 'text' })
  resourceId!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}

/** The chain's head: one row, locked by every append, so appends serialise in O(1). */
@Entity({ name: 'audit_head' })
export class AuditHeadEntity {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'text' })
  hash!: string;
}
