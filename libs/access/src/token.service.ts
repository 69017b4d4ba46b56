import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import { type Role, SCOPED_ROLES } from '@stepwise/common/principal';
import { ApiTokenEntity } from '@stepwise/persistence/api-token.entity';
import { ServiceEntity } from '@stepwise/persistence/service.entity';
import { Authenticator } from './authenticator';
import { generateTokenSecret, hashTokenSecret } from './token-secret';

/** What the audit log keeps of a token: never the secret or its hash. */
const auditView = (token: ApiTokenEntity): Record<string, unknown> => ({
  id: token.id,
  name: token.name,
  role: token.role,
  services: token.services,
  revokedAt: token.revokedAt,
});

/** A token to issue: the API's CreateTokenDto and the CLI's options both have this shape. */
export interface NewToken {
  name: string;
  role: Role;
  services?: string[];
}

/** The new token's id and its secret, which is shown this once. */
export interface IssuedToken {
  id: string;
  token: string;
}

/** Issues and revokes bearer tokens, each change audited; the API and the CLI both call it. */
@Injectable()
export class TokenService {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly authenticator: Authenticator,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  async create(context: AuditContext, input: NewToken): Promise<IssuedToken> {
    const scoped = SCOPED_ROLES.includes(input.role);
    // An enforcement point enforces one service: a token naming several could read and ack
    // rules meant for systems it does not run.
    if (input.role === 'connector' && input.services?.length !== 1) {
      throw DomainError.validation([
        {
          field: 'services',
          message: `role 'connector' needs exactly one service id, got ${input.services?.length ?? 0}`,
        },
      ]);
    }
    if (scoped && (!input.services || input.services.length === 0)) {
      throw DomainError.validation([{ field: 'services', message: `required for role '${input.role}'` }]);
    }
    if (!scoped && input.services !== undefined) {
      throw DomainError.validation([{ field: 'services', message: `not allowed for role '${input.role}'` }]);
    }
    const secret = generateTokenSecret();
    return this.auditLog.change(context, async ({ manager, audit }) => {
      if (input.services) {
        const found = await manager.find(ServiceEntity, {
          select: { id: true },
          where: { id: In(input.services) },
        });
        const known = new Set(found.map((s) => s.id));
        const missing = input.services.findIndex((id) => !known.has(id));
        if (missing >= 0) {
          throw DomainError.validation([
            { field: `services[${missing}]`, message: `service '${input.services[missing]}' does not exist` },
          ]);
        }
      }
      const token = manager.create(ApiTokenEntity, {
        id: randomUUID(),
        name: input.name,
        role: input.role,
        services: input.services ?? null,
        tokenHash: hashTokenSecret(secret),
        createdBy: context.actor.id,
        revokedAt: null,
      });
      await manager.insert(ApiTokenEntity, token);
      audit({
        action: 'token.created',
        resourceType: 'token',
        resourceId: token.id,
        after: auditView(token),
      });
      return { id: token.id, token: secret };
    });
  }

  /**
   * The token behind a signed-in person's calendar feed (a person has no bearer token, and a feed
   * key stands for one): created on first use with the person's role and services, its secret
   * thrown away, so all it opens is the feed. Revoking it closes the feed; a person whose access
   * changed gets a new one (the old is revoked).
   */
  async calendarTokenFor(context: AuditContext): Promise<string> {
    const person = context.actor;
    if (person.role === 'system') {
      throw DomainError.validation([{ field: 'actor', message: 'the system has no calendar feed' }]);
    }
    const name = `calendar feed of ${person.id}`;
    const existing = await this.dataSource.manager.findOne(ApiTokenEntity, {
      where: { name, createdBy: person.id, revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
    const sameServices = (a: readonly string[] | null, b: readonly string[] | null) =>
      JSON.stringify(a === null ? null : [...a].sort()) === JSON.stringify(b === null ? null : [...b].sort());
    if (existing && existing.role === person.role && sameServices(existing.services, person.services)) {
      return existing.id;
    }
    if (existing) {
      await this.revoke(context, existing.id);
    }
    const issued = await this.create(context, {
      name,
      role: person.role,
      ...(person.services === null ? {} : { services: [...person.services] }),
    });
    return issued.id;
  }

  /** Revoking is idempotent: a second call changes nothing and records nothing. */
  async revoke(context: AuditContext, id: string): Promise<void> {
    await this.auditLog.change(context, async ({ manager, audit }) => {
      const token = await manager.findOne(ApiTokenEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!token) {
        throw DomainError.notFound('token', id);
      }
      if (token.revokedAt) {
        return;
      }
      const before = auditView(token);
      token.revokedAt = this.clock.now().toJSDate();
      await manager.update(ApiTokenEntity, { id }, { revokedAt: token.revokedAt });
      audit({
        action: 'token.revoked',
        resourceType: 'token',
        resourceId: id,
        before,
        after: auditView(token),
      });
    });
    this.authenticator.forgetToken(id);
  }
}
