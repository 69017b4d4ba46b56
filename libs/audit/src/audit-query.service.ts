import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from './audit-cursor';
import type { AuditEventRecord } from './audit-event-record';
import { AuditFilter, filterConditions } from './audit-filter';
import { AUDIT_COLUMNS, AuditRow, toAuditRecord } from './audit-rows';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface AuditPageRequest extends AuditFilter {
  limit?: number;
  cursor?: string;
}

export interface AuditPage {
  items: AuditEventRecord[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/**
 * Newest-first pages by keyset on seq (`seq < $cursor ORDER BY seq DESC LIMIT n`), never OFFSET:
 * a page deep in a million events costs what the first one does, and pages never overlap or
 * skip an event even while new ones are appended.
 */
@Injectable()
export class AuditQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async page(request: AuditPageRequest): Promise<AuditPage> {
    const limit = Math.min(request.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const params: unknown[] = [];
    const conditions = filterConditions(request, params);
    if (request.cursor !== undefined) {
      params.push(decodeCursor(request.cursor));
      conditions.push(`seq < $${params.length}`);
    }
    // One row more than the page tells whether an older page exists, without a count.
    params.push(limit + 1);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events ${where} ORDER BY audit_events.seq DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(toAuditRecord);
    const nextCursor = rows.length > limit ? encodeCursor(items[items.length - 1].seq) : null;
    return { items, nextCursor };
  }
}
