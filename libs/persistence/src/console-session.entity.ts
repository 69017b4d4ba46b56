import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A person's console session. The cookie holds a random secret; only its SHA-256 is stored, so a
 * read of this table signs no one in. Deleted at logout; idle and absolute limits are checked on
 * every request (see ConsoleSessions).
 */
@Entity({ name: 'console_sessions' })
@Index('console_sessions_expires', ['expiresAt'])
export class ConsoleSessionEntity {
  @PrimaryColumn({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  /** The principal id: `oidc:<issuer>#<subject>`. */
  @Column({ name: 'person_id', type: 'text' })
  personId!: string;

  @Column({ name: 'person_name', type: 'text' })
  personName!: string;

  @Column({ type: 'text' })
  role!: string;

  /** Services a service owner is limited to; null for unscoped roles. */
  @Column({ type: 'jsonb', nullable: true })
  services!: string[] | null;

  @Column({ name: 'csrf_token', type: 'text' })
  csrfToken!: string;

  /** Kept for RP-initiated logout (`id_token_hint`). */
  @Column({ name: 'id_token', type: 'text', nullable: true })
  idToken!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** The absolute end of the session, whatever its activity. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
