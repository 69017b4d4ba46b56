import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** How long a POST's Idempotency-Key (and its kept answer) stays valid. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The kept keys, as the worker's sweep prunes them. */
@Injectable()
export class IdempotencyKeys {
  constructor(private readonly dataSource: DataSource) {}

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
