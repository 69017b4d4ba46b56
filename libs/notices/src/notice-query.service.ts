import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { type Page, PageCursor, pageLimit, type PageRequest, toPage } from '@stepwise/common/page-cursor';
import { canSeeService, type Principal } from '@stepwise/common/principal';

export interface NoticeFilter extends PageRequest {
  service?: string;
  policy?: string;
  /** pending, dispatched, sent (in a sent mail), superseded. */
  status?: string;
  kind?: string;
  /** Due at or after / before (ISO instants). */
  from?: string;
  to?: string;
}

export interface NoticeView {
  id: string;
  policy: string;
  service: string;
  kind: string;
  status: 'pending' | 'dispatched' | 'sent' | 'superseded';
  level: string;
  fromLevel: string | null;
  transitionAt: string | null;
  tentative: string | null;
  cause: string;
  populations: string[];
  revision: number;
  leadDays: number | null;
  dueAt: string;
  change: Record<string, unknown> | null;
  supersededAt: string | null;
  supersededBy: string | null;
  /** Mails that carry it: to whom, when sent (null: not yet). */
  mails: { to: string; messageId: string; sentAt: string | null }[];
  createdAt: string;
}

interface NoticeRow {
  id: string;
  policy_id: string;
  service_id: string;
  kind: string;
  status: 'pending' | 'dispatched';
  level: string;
  from_level: string | null;
  transition_at: Date | null;
  tentative: string | null;
  cause: string;
  populations: string[];
  revision: number;
  lead_days: number | null;
  due_at: Date;
  change: Record<string, unknown> | null;
  superseded_at: Date | null;
  superseded_by: string | null;
  created_at: Date;
  mails: { to: string; messageId: string; sentAt: string | null }[] | null;
}

const NOTICE_CURSOR = new PageCursor('notices', ['string'] as const);
export const NOTICE_STATUSES = ['pending', 'dispatched', 'sent', 'superseded'] as const;
export const NOTICE_KINDS = ['upcoming', 'tentative', 'updated', 'cancelled'] as const;

const STATUS_SQL: Record<(typeof NOTICE_STATUSES)[number], string> = {
  pending: `n.status = 'pending' AND n.superseded_at IS NULL`,
  dispatched: `n.status = 'dispatched'`,
  sent: `EXISTS (SELECT 1 FROM notice_mail_items i JOIN notice_mails m ON m.id = i.mail_id
           WHERE i.notice_id = n.id AND m.status = 'sent')`,
  superseded: `n.superseded_at IS NOT NULL`,
};

function instant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!/(Z|[+-][0-9]{2}:[0-9]{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw DomainError.validation([{ field, message: 'must be an ISO instant with an offset (…Z)' }]);
  }
  return new Date(value);
}

/** GET /notices: newest first, in keyset pages; an owner sees the notices of their own services. */
@Injectable()
export class NoticeQuery {
  constructor(private readonly dataSource: DataSource) {}

  async list(principal: Principal, filter: NoticeFilter): Promise<Page<NoticeView>> {
    if (filter.service !== undefined && !canSeeService(principal, filter.service)) {
      throw new DomainError(ErrorCode.Forbidden, `this token is not scoped to service '${filter.service}'`);
    }
    const limit = pageLimit(filter);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (principal.services !== null) {
      add((p) => `n.service_id = ANY(${p}::text[])`, principal.services);
    }
    if (filter.service !== undefined) {
      add((p) => `n.service_id = ${p}`, filter.service);
    }
    if (filter.policy !== undefined) {
      add((p) => `n.policy_id = ${p}`, filter.policy);
    }
    if (filter.kind !== undefined) {
      add((p) => `n.kind = ${p}`, filter.kind);
    }
    if (filter.status !== undefined) {
      where.push(STATUS_SQL[filter.status as (typeof NOTICE_STATUSES)[number]]);
    }
    const from = instant(filter.from, 'from');
    const to = instant(filter.to, 'to');
    if (from !== undefined) {
      add((p) => `n.due_at >= ${p}`, from);
    }
    if (to !== undefined) {
      add((p) => `n.due_at < ${p}`, to);
    }
    if (filter.cursor !== undefined) {
      const [afterId] = NOTICE_CURSOR.decode(filter.cursor);
      if (!/^[0-9]{1,18}$/.test(afterId)) {
        throw DomainError.validation([
          { field: 'cursor', message: 'malformed cursor; pass nextCursor as returned' },
        ]);
      }
      add((p) => `n.id < ${p}::bigint`, afterId);
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<NoticeRow[]>(
      `SELECT n.*, (SELECT json_agg(json_build_object('to', m.email, 'messageId', m.message_id,
          'sentAt', to_char(m.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY m.id)
        FROM notice_mail_items i JOIN notice_mails m ON m.id = i.mail_id WHERE i.notice_id = n.id) AS mails
       FROM notices n ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
       ORDER BY n.id DESC LIMIT $${params.length}`,
      params,
    );
    return toPage(rows, limit, toView, (last) => NOTICE_CURSOR.encode([last.id]));
  }
}

function toView(row: NoticeRow): NoticeView {
  const sent = (row.mails ?? []).some((mail) => mail.sentAt !== null);
  return {
    id: row.id,
    policy: row.policy_id,
    service: row.service_id,
    kind: row.kind,
    status: row.superseded_at !== null ? 'superseded' : sent ? 'sent' : row.status,
    level: row.level,
    fromLevel: row.from_level,
    transitionAt: row.transition_at?.toISOString() ?? null,
    tentative: row.tentative,
    cause: row.cause,
    populations: row.populations,
    revision: row.revision,
    leadDays: row.lead_days,
    dueAt: row.due_at.toISOString(),
    change: row.change,
    supersededAt: row.superseded_at?.toISOString() ?? null,
    supersededBy: row.superseded_by,
    mails: row.mails ?? [],
    createdAt: row.created_at.toISOString(),
  };
}
