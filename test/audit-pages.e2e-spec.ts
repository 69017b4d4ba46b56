import { encodeCursor } from '@stepwise/audit/audit-cursor';
import { AuditItem, createToken, eventCount, walkPages } from './audit-support';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

describe('audit history: keyset pages', () => {
  let sut: TestApi;
  let auditor: string;
  let auditorId: string;
  let revokedId: string;

  beforeAll(async () => {
    sut = await startTestApi();
    const desk = await createToken(sut, 'audit desk', 'auditor');
    auditor = desk.token;
    auditorId = desk.id;
    for (let i = 0; i < 40; i += 1) {
      const { id } = await createToken(sut, `writer-${i}`);
      if (i % 4 === 0) {
        await sut.http
          .delete(`/api/v1/tokens/${id}`)
          .set(...bearer(ADMIN_TOKEN))
          .expect(204);
        revokedId = id;
      }
      // The auditor probing a write route leaves auth.denied events under its own id.
      if (i % 5 === 0) {
        await sut.http
          .post('/api/v1/tokens')
          .set(...bearer(auditor))
          .send({})
          .expect(403);
      }
    }
  });

  afterAll(async () => {
    await sut.close();
  });

  const seqsWhere = async (where: string, params: unknown[] = []) =>
    (
      await sut.db.query<{ seq: string }>(
        `SELECT seq FROM audit_events WHERE ${where} ORDER BY seq DESC`,
        params,
      )
    ).map((row) => Number(row.seq));

  const expectCleanWalk = (pages: number[][], expected: number[], limit: number) => {
    const all = pages.flat();
    expect(all).toEqual(expected);
    expect(new Set(all).size).toBe(all.length);
    expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
  };

  it('pages newest first with no overlap and reaches the last event', async () => {
    expect(await eventCount(sut)).toBeGreaterThan(50);
    expectCleanWalk(await walkPages(sut, { limit: 7 }, auditor), await seqsWhere('true'), 7);
  });

  it.each([
    ['by action', () => ({ action: 'token.revoked' }), "action = 'token.revoked'", () => []],
    ['by actor', () => ({ actor: auditorId }), 'actor_id = $1', () => [auditorId]],
    [
      'by resource',
      () => ({ resourceType: 'token', resourceId: revokedId }),
      "resource_type = 'token' AND resource_id = $1",
      () => [revokedId],
    ],
  ])('pages %s cleanly to its end', async (_label, query, where, params) => {
    const expected = await seqsWhere(where, params());
    expect(expected.length).toBeGreaterThan(1);
    expectCleanWalk(await walkPages(sut, { ...query(), limit: 3 }, auditor), expected, 3);
  });

  it('filters by a time window, from inclusive and to exclusive', async () => {
    const rows = await sut.db.query<{ at: Date }>(
      'SELECT DISTINCT occurred_at AS at FROM audit_events ORDER BY occurred_at',
    );
    const from = rows[5].at.toISOString();
    const to = rows[rows.length - 5].at.toISOString();
    const expected = await seqsWhere('occurred_at >= $1 AND occurred_at < $2', [from, to]);
    expectCleanWalk(await walkPages(sut, { from, to, limit: 10 }, auditor), expected, 10);
    // The same window with an offset other than Z names the same instants.
    const shifted = await walkPages(sut, { from: from.replace('Z', '+00:00'), to, limit: 500 }, auditor);
    expect(shifted.flat()).toEqual(expected);
  });

  it('gives 50 by default and up to 500 on request', async () => {
    const total = await eventCount(sut);
    const first = await sut.http
      .get('/api/v1/audit')
      .set(...bearer(auditor))
      .expect(200);
    expect(first.body.items).toHaveLength(50);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const all = await sut.http
      .get('/api/v1/audit')
      .query({ limit: 500 })
      .set(...bearer(auditor))
      .expect(200);
    expect(all.body.items).toHaveLength(total);
    expect(all.body.nextCursor).toBeNull();
  });

  it('continues from a cursor without overlap while new events are appended', async () => {
    const first = await sut.http
      .get('/api/v1/audit')
      .query({ limit: 5 })
      .set(...bearer(auditor))
      .expect(200);
    await createToken(sut, 'arrives between pages');
    const second = await sut.http
      .get('/api/v1/audit')
      .query({ limit: 5, cursor: first.body.nextCursor })
      .set(...bearer(auditor))
      .expect(200);
    const firstSeqs = (first.body.items as AuditItem[]).map((item) => item.seq);
    const secondSeqs = (second.body.items as AuditItem[]).map((item) => item.seq);
    expect(secondSeqs[0]).toBe(firstSeqs[4] - 1);
  });

  it.each([
    ['limit', { limit: 0 }],
    ['limit', { limit: 501 }],
    ['limit', { limit: 'ten' }],
    ['limit', { limit: '1.5' }],
    ['limit', { limit: '0x10' }],
    ['cursor', { cursor: 'not a cursor' }],
    ['cursor', { cursor: 'c2VxOi0x' }],
    ['cursor', { cursor: Buffer.from('offset:10').toString('base64url') }],
    ['from', { from: '2024-03-01' }],
    ['from', { from: '2024-03-01T00:00:00' }],
    ['from', { from: 'yesterday' }],
    ['to', { to: '2024-02-30T00:00:00Z' }],
    ['to', { from: '2024-03-02T00:00:00Z', to: '2024-03-01T00:00:00Z' }],
    ['sort', { sort: 'asc' }],
  ])('refuses a bad %s with 400 naming it: %j', async (field, query) => {
    const res = await sut.http
      .get('/api/v1/audit')
      .query(query)
      .set(...bearer(auditor))
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.message).toContain(field);
  });

  it('accepts a well-formed cursor past the oldest event as an empty last page', async () => {
    const res = await sut.http
      .get('/api/v1/audit')
      .query({ cursor: encodeCursor(1) })
      .set(...bearer(auditor))
      .expect(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });
});
