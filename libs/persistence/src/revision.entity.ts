import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PolicyEntity } from './policy.entity';

export const REVISION_STATUSES = [
  'draft',
  'submitted',
  'approved',
  'published',
  'rejected',
  'withdrawn',
] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];

/** One whole version of a policy's plan. Immutable once published. */
@Entity({ name: 'revisions' })
@Index('revisions_published', ['policyId', 'publishAt'])
export class RevisionEntity {
  @PrimaryColumn({ name: 'policy_id', type: 'text' })
  policyId!: string;

  @ManyToOne(() => PolicyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'policy_id', foreignKeyConstraintName: 'revisions_policy_fk' })
  policy?: PolicyEntity;

  @PrimaryColumn({ type: 'integer' })
  number!: number;

  @Column({ type: 'text' })
  status!: RevisionStatus;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'source_url', type: 'text', nullable: true })
  sourceUrl!: string | null;

  /** Decision time: when the revision takes over. Null until published unless requested. */
  @Column({ name: 'publish_at', type: 'timestamptz', nullable: true })
  publishAt!: Date | null;

  /** The whole plan: `{ mandatory?, phases, standingRules }`. */
  @Column({ type: 'jsonb' })
  plan!: Record<string, unknown>;

  @Column({ name: 'base_revision', type: 'integer', nullable: true })
  baseRevision!: number | null;

  @Column({ name: 'author_id', type: 'text' })
  authorId!: string;

  @Column({ name: 'author_name', type: 'text' })
  authorName!: string;

  @Column({ name: 'approved_by_id', type: 'text', nullable: true })
  approvedById!: string | null;

  @Column({ name: 'approved_by_name', type: 'text', nullable: true })
  approvedByName!: string | null;

  /** Reason given with the last transition (reject, withdraw, …). */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  /** Backdated through an admin import. */
  @Column({ type: 'boolean', default: false })
  imported!: boolean;

  /** A decision taken earlier, recorded with a past publishAt through four-eyes (late recording). */
  @Column({ name: 'recorded_late', type: 'boolean', default: false })
  recordedLate!: boolean;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
