import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThan, Repository } from 'typeorm';
import { Clock } from '@stepwise/common/clock';
import type { Principal, Role } from '@stepwise/common/principal';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { ConsoleSessionEntity } from '@stepwise/persistence/console-session.entity';
import { hashTokenSecret, sameHash } from './token-secret';

export const SESSION_COOKIE = 'stepwise_session';

/** Principal ids of people signed in to the console: `oidc:<issuer>#<subject>`. */
export const PERSON_PREFIX = 'oidc:';

/** A person who signed in, as the access map resolved them. */
export interface SignedInPerson {
  id: string;
  name: string;
  role: Role;
  services: string[] | null;
  idToken: string | null;
}

export interface ConsoleSession {
  principal: Principal;
  csrfToken: string;
  idToken: string | null;
  expiresAt: Date;
}

/** Activity is recorded at most this often, so that reads do not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side console sessions in PostgreSQL: every API instance sees a logout at once, and a
 * restart signs no one out. The cookie carries 32 random bytes; the table holds their SHA-256.
 */
@Injectable()
export class ConsoleSessions {
  private readonly idleMs: number;
  private readonly maxMs: number;

  constructor(
    @InjectRepository(ConsoleSessionEntity) private readonly sessions: Repository<ConsoleSessionEntity>,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.idleMs = config.get('STEPWISE_SESSION_IDLE_MINUTES', { infer: true }) * 60_000;
    this.maxMs = config.get('STEPWISE_SESSION_MAX_HOURS', { infer: true }) * 3_600_000;
  }

  /**
   * Opens a session in the caller's transaction (which audits it); returns the cookie's secret
   * (shown once, never stored).
   */
  async open(manager: EntityManager, person: SignedInPerson): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    const now = new Date(this.clock.nowMs());
    const sessions = manager.getRepository(ConsoleSessionEntity);
    await sessions.insert({
      secretHash: hashTokenSecret(secret),
      personId: person.id,
      personName: person.name,
      role: person.role,
      services: person.services,
      csrfToken: randomBytes(24).toString('base64url'),
      idToken: person.idToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.maxMs),
    });
    // Expired sessions of anyone are removed as new ones open: the table stays small without a job.
    await sessions.delete({ expiresAt: LessThan(now) });
    return secret;
  }

  /** The live session of a cookie secret; null when unknown, idle too long or past its lifetime. */
  async find(secret: string): Promise<ConsoleSession | null> {
    if (secret.length > 100) {
      return null;
    }
    const hash = hashTokenSecret(secret);
    const row = await this.sessions.findOneBy({ secretHash: hash });
    if (row === null || !sameHash(row.secretHash, hash)) {
      return null;
    }
    const now = this.clock.nowMs();
    if (now >= row.expiresAt.getTime() || now - row.lastSeenAt.getTime() >= this.idleMs) {
      await this.sessions.delete({ secretHash: hash });
      return null;
    }
    if (now - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.sessions.update({ secretHash: hash }, { lastSeenAt: new Date(now) });
    }
    return {
      principal: { id: row.personId, name: row.personName, role: row.role as Role, services: row.services },
      csrfToken: row.csrfToken,
      idToken: row.idToken,
      expiresAt: row.expiresAt,
    };
  }

  /** Ends a session (logout) in the caller's transaction; the secret is useless everywhere after. */
  async close(manager: EntityManager, secret: string): Promise<boolean> {
    const result = await manager
      .getRepository(ConsoleSessionEntity)
      .delete({ secretHash: hashTokenSecret(secret) });
    return (result.affected ?? 0) > 0;
  }
}
