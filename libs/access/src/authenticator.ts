import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import type { Principal } from '@stepwise/common/principal';
import { ApiTokenEntity } from '@stepwise/persistence/api-token.entity';
import { hashTokenSecret, sameHash } from './token-secret';

const BOOTSTRAP_ADMIN: Principal = {
  id: 'bootstrap-admin',
  name: 'STEPWISE_ADMIN_TOKEN',
  role: 'admin',
  services: null,
};

/**
 * How long a looked-up token is trusted without asking the database again. Measured on the
 * monotonic clock: a wall-clock step back must not keep a revoked token trusted for longer.
 */
const CACHE_MS = 5000;
const CACHE_MAX = 10000;

/**
 * Turns a bearer secret into a principal. Hot reads (rules pulled by enforcement points) must not
 * cost a query each, so lookups are cached briefly; revocation evicts at once on this instance,
 * and the short lifetime bounds it on others.
 */
@Injectable()
export class Authenticator {
  private readonly adminHash: string | null;
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
  ) {
    const admin = config.get('STEPWISE_ADMIN_TOKEN', { infer: true });
    this.adminHash = admin ? hashTokenSecret(admin) : null;
  }

  async authenticate(secret: string): Promise<Principal | null> {
    return this.authenticateNow(secret);
  }

  /**
   * `authenticate` without waiting when the answer is cached (a principal, or null for a refused
   * secret); otherwise the lookup. Keyed by the presented secret itself (it is in this process's
   * memory with every request anyway), so a cache hit costs no hashing; the database only ever
   * sees the hash.
   */
  authenticateNow(secret: string): Principal | null | Promise<Principal | null> {
    const cached = this.cache.get(secret);
    if (cached !== undefined && cached.until > performance.now()) {
      return cached.principal;
    }
    return this.lookUp(secret);
  }

  private async lookUp(secret: string): Promise<Principal | null> {
    const hash = hashTokenSecret(secret);
    if (this.adminHash && sameHash(hash, this.adminHash)) {
      return BOOTSTRAP_ADMIN;
    }
    const token = await this.tokens.findOne({ where: { tokenHash: hash, revokedAt: IsNull() } });
    const principal = token ? principalOf(token) : null;
    if (this.cache.size >= CACHE_MAX) {
      this.cache.clear();
    }
    this.cache.set(secret, { principal, until: performance.now() + CACHE_MS });
    return principal;
  }

  /**
   * The principal of a token named by id (a calendar feed key names one), if it is not revoked.
   * Not cached: calendar clients poll every few hours, and a revoked token's feed must close.
   */
  async authenticateTokenId(tokenId: string): Promise<Principal | null> {
    const token = await this.tokens.findOne({ where: { id: tokenId, revokedAt: IsNull() } });
    return token ? principalOf(token) : null;
  }

  forgetToken(tokenId: string): void {
    for (const [secret, entry] of this.cache) {
      if (entry.principal?.id === tokenId) {
        this.cache.delete(secret);
      }
    }
  }
}

const principalOf = (token: ApiTokenEntity): Principal => ({
  id: token.id,
  name: token.name,
  role: token.role,
  services: token.services,
});
