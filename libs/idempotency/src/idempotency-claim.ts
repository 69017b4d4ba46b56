import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';

/**
 * A request sent with an `Idempotency-Key`: the key is claimed inside the transaction of the
 * change the request makes, so the change and the claim commit together or not at all. A second
 * request with the key (a retry racing the first, or one sent after a crash lost the answer)
 * then finds the claim instead of making the change again.
 */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
  route: string;
  /** Set once a transaction of this request committed the claim (a request may run several). */
  claimed: boolean;
}

/** Claims the key in the caller's transaction, or refuses the change (409) if it is taken. */
export async function claimIdempotencyKey(
  manager: EntityManager,
  principalId: string,
  claim: IdempotencyClaim,
): Promise<void> {
  // A concurrent claim of the same key waits here for the other transaction, then finds its row.
  // TypeORM answers an INSERT … RETURNING with its rows (an UPDATE with [rows, count]).
  const rows = await manager.query<unknown[]>(
    `INSERT INTO idempotency_keys (principal_id, key, fingerprint, route) VALUES ($1, $2, $3, $4)
     ON CONFLICT (principal_id, key) DO NOTHING RETURNING key`,
    [principalId, claim.key, claim.fingerprint, claim.route],
  );
  if (rows.length === 0) {
    throw new DomainError(
      ErrorCode.Conflict,
      `Idempotency-Key '${claim.key}' is already used by another request; retry to get its answer`,
    );
  }
}
