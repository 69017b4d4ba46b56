import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyKeyEntity, type SealedAnswer } from '@stepwise/persistence/idempotency-key.entity';
import type { IdempotencyClaim } from './idempotency-claim';

/** How long a POST's Idempotency-Key (and its kept answer) stays valid. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * The kept keys outside a change's transaction: looked up before a request runs, completed with
 * its answer after, pruned by the worker's sweep. (The claim itself is made inside the change's
 * transaction: `claimIdempotencyKey`.)
 */
@Injectable()
export class IdempotencyKeys {
  constructor(private readonly dataSource: DataSource) {}

  find(principalId: string, key: string): Promise<IdempotencyKeyEntity | null> {
    return this.dataSource.getRepository(IdempotencyKeyEntity).findOne({ where: { principalId, key } });
  }

  /**
   * Keeps the answer of a request whose change committed (its claim row exists), or of one that
   * made no claim (a POST that changes nothing through `AuditLog.run`); never overwrites an answer.
   * Only sealed answers are taken (`KeptAnswerSeal`): an answer may carry a token or a secret.
   */
  async keepAnswer(principalId: string, claim: IdempotencyClaim, answer: SealedAnswer): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO idempotency_keys (principal_id, key, fingerprint, route, response, completed_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, now())
       ON CONFLICT (principal_id, key) DO UPDATE SET response = EXCLUDED.response, completed_at = now()
       WHERE idempotency_keys.fingerprint = EXCLUDED.fingerprint AND idempotency_keys.response IS NULL`,
      [principalId, claim.key, claim.fingerprint, claim.route, JSON.stringify(answer)],
    );
  }

  /** Forgets the keys claimed before `before`; a retry after that makes its change anew. */
  async pruneClaimedBefore(before: Date): Promise<number> {
    // TypeORM answers a DELETE with [rows, count].
    const [, removed] = await this.dataSource.query<[unknown[], number]>(
      'DELETE FROM idempotency_keys WHERE created_at < $1',
      [before],
    );
    return removed;
  }
}
