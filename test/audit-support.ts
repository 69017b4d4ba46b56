import type { HashedAuditFields } from '@stepwise/audit/audit-hash';
import { ADMIN_TOKEN, bearer, TestApi } from './support/test-api';

/** An event as the audit API returns it: the hashed fields and the hash. */
export type AuditItem = HashedAuditFields & { hash: string };

/** Creates a token as the bootstrap admin and returns its id and secret. */
export async function createToken(sut: TestApi, name: string, role = 'planner') {
  const res = await sut.http
    .post('/api/v1/tokens')
    .set(...bearer(ADMIN_TOKEN))
    .send({ name, role });
  if (res.status !== 201) {
    throw new Error(`token creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body as { id: string; token: string };
}

/** Follows nextCursor from the newest page to the last, returning every page's seqs. */
export async function walkPages(sut: TestApi, query: Record<string, string | number>, token = ADMIN_TOKEN) {
  const pages: number[][] = [];
  let cursor: string | null = null;
  do {
    const res = await sut.http
      .get('/api/v1/audit')
      .query(cursor ? { ...query, cursor } : query)
      .set(...bearer(token))
      .expect(200);
    const body = res.body as { items: AuditItem[]; nextCursor: string | null };
    pages.push(body.items.map((item) => item.seq));
    cursor = body.nextCursor;
    if (pages.length > 1000) {
      throw new Error('pagination does not end');
    }
  } while (cursor);
  return pages;
}

export async function eventCount(sut: TestApi, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await sut.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM audit_events WHERE ${where}`,
    params,
  );
  return Number(row.n);
}

/** RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF inside quotes), for parsing exports back. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || (char === '\r' && text[i + 1] === '\n')) {
      if (char === '\r') {
        i += 1;
      }
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field !== '' || record.length > 0) {
    records.push([...record, field]);
  }
  return records;
}
