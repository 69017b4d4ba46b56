import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a replay repeats of the first answer: its body and the headers a client may act on. */
export interface KeptAnswer {
  body: unknown;
  headers: Record<string, string>;
}

/**
 * A `KeptAnswer` sealed with the secret box under STEPWISE_SECRET_KEY (`v1.…`): answers carry
 * secrets shown once (bearer tokens, webhook secrets), which are never stored in clear.
 */
export interface SealedAnswer {
  sealed: string;
}

/**
 * A POST made with an `Idempotency-Key`: claimed in the same transaction as the change it made,
 * then completed with the answer, which a retry with the same key and request gets again.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  /** The token that sent it: keys are the client's own, so two clients never collide. */
  @PrimaryColumn({ name: 'principal_id', type: 'text' })
  principalId!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** SHA-256 of the route, its parameters and the canonical JSON body. */
  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'text' })
  route!: string;

  /**
   * Null until the answer is kept (the change may have committed just before a crash). Sealed;
   * rows kept before answers were sealed hold a `KeptAnswer` in clear until the sweep forgets them.
   */
  @Column({ type: 'jsonb', nullable: true })
  response!: SealedAnswer | KeptAnswer | null;

  /** The worker's sweep forgets keys older than a day by this. */
  @Index('idempotency_keys_created_at')
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
