import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode, type FieldError } from '@stepwise/common/domain-error';
import { DEFAULT_PAGE_LIMIT, type Page, PageCursor } from '@stepwise/common/page-cursor';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { parseDateOrInstant } from '@stepwise/domain/dates';
import { AdoptionSnapshotRepository } from './adoption-snapshot.repository';
import { isUniqueViolation } from './planning-errors';

export interface LoanView {
  id: string;
  serial: string;
  borrower: string;
  population: string;
  issuedAt: string;
  dueAt: string;
  returnedAt: string | null;
  state: 'active' | 'overdue' | 'returned';
}

interface LoanRow {
  id: string;
  serial: string;
  borrower: string;
  population: string;
  issued_at: Date;
  due_at: Date;
  returned_at: Date | null;
}

export interface LoanFilter {
  state?: 'active' | 'overdue' | 'returned';
  population?: string;
  limit?: number;
  cursor?: string;
}

const CURSOR = new PageCursor('loans', ['string'] as const);
const FIELDS = ['serial', 'borrower', 'population', 'issuedAt', 'dueAt'];
const TEXT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** MFA device loans: lend (one active loan per serial), return, list; each write audited. */
@Injectable()
export class DeviceLoanService {
  private readonly zone: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly snapshots: AdoptionSnapshotRepository,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.zone = config.get('STEPWISE_TIMEZONE', { infer: true });
  }

  private view(row: LoanRow, now: number): LoanView {
    const state = row.returned_at !== null ? 'returned' : row.due_at.getTime() < now ? 'overdue' : 'active';
    return {
      id: row.id,
      serial: row.serial,
      borrower: row.borrower,
      population: row.population,
      issuedAt: row.issued_at.toISOString(),
      dueAt: row.due_at.toISOString(),
      returnedAt: row.returned_at?.toISOString() ?? null,
      state,
    };
  }

  async lend(context: AuditContext, body: unknown): Promise<LoanView> {
    const input = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const errors: FieldError[] = Object.keys(input)
      .filter((key) => !FIELDS.includes(key))
      .map((field) => ({ field, message: 'is not a known field' }));
    const text = (field: string, what: string): string => {
      const value = input[field];
      if (typeof value !== 'string' || !TEXT.test(value)) {
        errors.push({ field, message: `must be ${what}: letters, digits, . _ : - (at most 128)` });
        return '';
      }
      return value;
    };
    const serial = text('serial', 'a device serial');
    const borrower = text('borrower', 'a pseudonymous id (never a name or an address)');
    const population = typeof input.population === 'string' ? input.population : '';
    const populations = await this.snapshots.knownPopulations(this.dataSource.manager);
    if (!populations.includes(population)) {
      errors.push({ field: 'population', message: 'must be a population of a policy' });
    }
    const instant = (field: string, fallback?: number): number => {
      const value = input[field];
      if (value === undefined && fallback !== undefined) {
        return fallback;
      }
      const parsed = typeof value === 'string' ? parseDateOrInstant(value, this.zone) : undefined;
      if (parsed === undefined || !parsed.ok) {
        errors.push({ field, message: 'must be a date or an instant with an offset' });
        return 0;
      }
      return parsed.ms;
    };
    const now = this.clock.nowMs();
    const issuedAt = instant('issuedAt', now);
    const dueAt = instant('dueAt');
    if (errors.length === 0 && dueAt <= issuedAt) {
      errors.push({ field: 'dueAt', message: 'must come after issuedAt' });
    }
    if (errors.length > 0) {
      throw DomainError.validation(errors);
    }
    return this.auditLog
      .change(context, async ({ manager, audit }) => {
        const [row] = await manager.query<LoanRow[]>(
          `INSERT INTO device_loans (serial, borrower, population, issued_at, due_at, recorded_by_name, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [
            serial,
            borrower,
            population,
            new Date(issuedAt),
            new Date(dueAt),
            context.actor.name,
            new Date(now),
          ],
        );
        const loan = this.view(row, now);
        audit({ action: 'loan.issued', resourceType: 'loan', resourceId: row.id, after: loan });
        return loan;
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error)
          ? new DomainError(ErrorCode.Duplicate, `device ${serial} is already on loan; return it first`)
          : error;
      });
  }

  async giveBack(context: AuditContext, id: string): Promise<LoanView> {
    const now = this.clock.nowMs();
    return this.auditLog.change(context, async ({ manager, audit }) => {
      const [rows] = await manager.query<[LoanRow[], number]>(
        'UPDATE device_loans SET returned_at = $2 WHERE id = $1 AND returned_at IS NULL RETURNING *',
        [id, new Date(now)],
      );
      const row = rows[0];
      if (row === undefined) {
        const [exists] = await manager.query<unknown[]>('SELECT 1 FROM device_loans WHERE id = $1', [id]);
        throw exists === undefined
          ? DomainError.notFound('loan', id)
          : new DomainError(ErrorCode.WrongState, `loan ${id} was already returned`);
      }
      const loan = this.view(row, now);
      audit({ action: 'loan.returned', resourceType: 'loan', resourceId: id, after: loan });
      return loan;
    });
  }

  async list(
    filter: LoanFilter,
  ): Promise<Page<LoanView> & { inventory: { active: number; overdue: number; returned: number } }> {
    const now = new Date(this.clock.nowMs());
    const limit = filter.limit ?? DEFAULT_PAGE_LIMIT;
    const params: unknown[] = [now, limit + 1];
    const where: string[] = [];
    if (filter.population !== undefined) {
      params.push(filter.population);
      where.push(`population = $${params.length}`);
    }
    if (filter.state === 'returned') {
      where.push('returned_at IS NOT NULL');
    } else if (filter.state === 'active') {
      where.push('returned_at IS NULL AND due_at >= $1');
    } else if (filter.state === 'overdue') {
      where.push('returned_at IS NULL AND due_at < $1');
    }
    if (filter.cursor !== undefined) {
      const [after] = CURSOR.decode(filter.cursor);
      if (!/^[0-9]{1,18}$/.test(after)) {
        throw DomainError.validation([
          { field: 'cursor', message: 'malformed cursor; pass nextCursor as returned' },
        ]);
      }
      params.push(after);
      where.push(`id > $${params.length}::bigint`);
    }
    const rows = await this.dataSource.query<LoanRow[]>(
      `SELECT * FROM device_loans WHERE $1::timestamptz IS NOT NULL ${where.map((w) => `AND ${w}`).join(' ')}
       ORDER BY id LIMIT $2`,
      params,
    );
    const [counts] = await this.dataSource.query<{ active: string; overdue: string; returned: string }[]>(
      `SELECT count(*) FILTER (WHERE returned_at IS NULL AND due_at >= $1) AS active,
              count(*) FILTER (WHERE returned_at IS NULL AND due_at < $1) AS overdue,
              count(*) FILTER (WHERE returned_at IS NOT NULL) AS returned FROM device_loans`,
      [now],
    );
    const items = rows.slice(0, limit).map((row) => this.view(row, now.getTime()));
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last !== undefined ? CURSOR.encode([last.id]) : null,
      inventory: {
        active: Number(counts.active),
        overdue: Number(counts.overdue),
        returned: Number(counts.returned),
      },
    };
  }
}
