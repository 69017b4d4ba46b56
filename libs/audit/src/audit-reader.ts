import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StoredChainEnd } from './audit-chain-check';
import type { AuditEventRecord } from './audit-event-record';
import { AuditFilter, filterConditions } from './audit-filter';
import { AUDIT_COLUMNS, AuditRow, toAuditRecord } from './audit-rows';

export const READ_BATCH_SIZE = 5000;

export interface ReadRange {
  /** Stop after this seq (a head read beforehand), so a long read sees a fixed chain. */
  upToSeq?: number;
  batchSize?: number;
}

/**
 * Reads events oldest first in keyset batches (`seq > $last ORDER BY seq LIMIT n`): memory stays
 * one batch however long the table, and no statement holds a snapshot open for the whole read.
 * The next batch is requested before the current one is handed over, so the database reads
 * while the caller hashes or writes.
 */
@Injectable()
export class AuditReader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The chain's end as last committed, head row and newest event from one statement's snapshot:
   * appends update the head in the transaction that adds their events.
   */
  async end(): Promise<StoredChainEnd> {
    const [row] = await this.dataSource.query<{ seq: string | null; hash: string | null; last: string }[]>(
      `SELECT head.seq::text AS seq, head.hash,
              (SELECT coalesce(max(seq), 0) FROM audit_events)::text AS last
       FROM (SELECT 1) AS one LEFT JOIN audit_head AS head ON head.id = 1`,
    );
    const head = row.seq === null || row.hash === null ? null : { seq: Number(row.seq), hash: row.hash };
    return { head, lastSeq: Number(row.last) };
  }

  async *batches(filter: AuditFilter, range: ReadRange = {}): AsyncGenerator<AuditEventRecord[]> {
    const size = range.batchSize ?? READ_BATCH_SIZE;
    let pending: Promise<AuditEventRecord[]> | null = this.fetch(filter, 0, size, range.upToSeq);
    while (pending) {
      const batch: AuditEventRecord[] = await pending;
      pending =
        batch.length < size ? null : this.fetch(filter, batch[batch.length - 1].seq, size, range.upToSeq);
      // If the caller stops early, a prefetched batch that fails must not become an unhandled rejection.
      pending?.catch(() => undefined);
      if (batch.length > 0) {
        yield batch;
      }
    }
  }

  private async fetch(
    filter: AuditFilter,
    afterSeq: number,
    size: number,
    upToSeq: number | undefined,
  ): Promise<AuditEventRecord[]> {
    const params: unknown[] = [afterSeq];
    const conditions = ['seq > $1', ...filterConditions(filter, params)];
    if (upToSeq !== undefined) {
      params.push(upToSeq);
      conditions.push(`seq <= $${params.length}`);
    }
    params.push(size);
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE ${conditions.join(' AND ')}
       ORDER BY audit_events.seq LIMIT $${params.length}`,
      params,
    );
    return rows.map(toAuditRecord);
  }
}
