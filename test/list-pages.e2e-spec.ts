import { insertPolicy, publishRevision } from './enforcement-fixtures';
import { expectFullPagesWithoutRepeats, walkPages } from './list-pages-support';
import { seedDemo } from './support/seed';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

type Item = Record<string, unknown>;
/** The seeded plan's first year. */
const window = { from: '2024-01-01', to: '2025-01-01' };
const idOf = (item: Item) => item.id as string;

describe('keyset pages of services, revisions and the schedule', () => {
  let sut: TestApi;

  beforeAll(async () => {
    sut = await startTestApi();
    seedDemo(sut.db.url);
    // 120 more services straight into the directory: these tests read it, registration has its suite.
    await sut.db.query(
      `INSERT INTO services (id, name, connector_type, tags)
       SELECT 'bulk-' || lpad(n::text, 3, '0'), 'Bulk service ' || n, 'pull',
         CASE WHEN n % 3 = 0 THEN ARRAY['library'] ELSE ARRAY[]::text[] END
       FROM generate_series(1, 120) AS n`,
    );
    await sut.db.query(
      `INSERT INTO services (id, name, connector_type, tags) VALUES
         ('percent-proxy', '50% Off_Proxy', 'pull', '{library,external}'),
         ('fifty-proxy', '50 Off Proxy', 'pull', '{}')`,
    );
    await insertPolicy(sut.db, 'paged');
    for (let n = 1; n <= 7; n += 1) {
      await publishRevision(sut.db, 'paged', n, []);
    }
  });

  afterAll(async () => {
    await sut.close();
  });

  const get = (path: string, query: Record<string, string | number> = {}, token = ADMIN_TOKEN) =>
    sut.http
      .get(path)
      .query(query)
      .set(...bearer(token));
  const idsInDatabase = async (where = 'true', params: unknown[] = []) =>
    (await sut.db.query<{ id: string }>(`SELECT id FROM services WHERE ${where} ORDER BY id`, params)).map(
      (row) => row.id,
    );

  describe('GET /services', () => {
    it('pages every service by id, without repeats, to the last one', async () => {
      const pages = await walkPages<Item>(sut, '/api/v1/services', { limit: 9 });
      expectFullPagesWithoutRepeats(pages, 9, idOf);
      expect(pages.flat().map(idOf)).toEqual(await idsInDatabase());
    });

    it('gives 100 by default and up to 1000 on request', async () => {
      const total = (await idsInDatabase()).length;
      expect(total).toBeGreaterThan(100);
      const first = await get('/api/v1/services').expect(200);
      expect(first.body.items).toHaveLength(100);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const all = await get('/api/v1/services', { limit: 1000 }).expect(200);
      expect(all.body.items).toHaveLength(total);
      expect(all.body.nextCursor).toBeNull();
    });

    it('finds by a piece of the id or the name in any case, wildcards taken literally', async () => {
      const ids = async (q: string) =>
        (await get('/api/v1/services', { q, limit: 1000 }).expect(200)).body.items.map(idOf);
      expect(await ids('BULK SERVICE 11')).toEqual([
        'bulk-011',
        'bulk-110',
        'bulk-111',
        'bulk-112',
        'bulk-113',
        'bulk-114',
        'bulk-115',
        'bulk-116',
        'bulk-117',
        'bulk-118',
        'bulk-119',
      ]);
      expect(await ids('K-12')).toEqual(['bulk-120']);
      expect(await ids('50%')).toEqual(['percent-proxy']);
      expect(await ids('off_')).toEqual(['percent-proxy']);
      expect(await ids('nothing like it')).toEqual([]);
    });

    it('pages the services carrying a tag, with a search as well', async () => {
      const pages = await walkPages<Item>(sut, '/api/v1/services', { tag: 'library', limit: 4 });
      expectFullPagesWithoutRepeats(pages, 4, idOf);
      expect(pages.flat().map(idOf)).toEqual(await idsInDatabase(`'library' = ANY(tags)`));
      const both = await get('/api/v1/services', { tag: 'library', q: ' off' }).expect(200);
      expect(both.body).toEqual({
        items: [expect.objectContaining({ id: 'percent-proxy' })],
        nextCursor: null,
      });
    });

    it('pages a service owner through their own services only', async () => {
      const own = ['bulk-003', 'bulk-050', 'bulk-051', 'utas', 'percent-proxy'].sort();
      const owner = await sut.token('service-owner', own);
      const pages = await walkPages<Item>(sut, '/api/v1/services', { limit: 2 }, owner);
      expectFullPagesWithoutRepeats(pages, 2, idOf);
      expect(pages.flat().map(idOf)).toEqual(await idsInDatabase('id = ANY($1)', [own]));
      const found = await get('/api/v1/services', { q: 'proxy' }, owner).expect(200);
      expect(found.body.items.map(idOf)).toEqual(['percent-proxy']);
    });
  });

  describe('GET /policies/:id/revisions', () => {
    const path = '/api/v1/policies/paged/revisions';

    it('pages the revisions newest first down to revision 1', async () => {
      const pages = await walkPages<Item>(sut, path, { limit: 3 });
      expect(pages.map((page) => page.map((revision) => revision.number))).toEqual([
        [7, 6, 5],
        [4, 3, 2],
        [1],
      ]);
    });

    it('answers 404 for an unknown policy, with or without a cursor', async () => {
      const first = await get(path, { limit: 2 }).expect(200);
      await get('/api/v1/policies/no-such/revisions').expect(404);
      await get('/api/v1/policies/no-such/revisions', { cursor: first.body.nextCursor }).expect(404);
    });
  });

  describe('GET /schedule', () => {
    const keyOf = (t: Item) =>
      `${t.at as string} ${t.service as string} ${t.policy as string} ${t.population as string}`;

    it('pages the window by instant, then service, policy and population, as one whole page lists it', async () => {
      const whole = await get('/api/v1/schedule', { ...window, limit: 1000 }).expect(200);
      expect(whole.body.nextCursor).toBeNull();
      const all = (whole.body.items as Item[]).map(keyOf);
      expect(all.length).toBeGreaterThan(10);
      expect(all).toEqual([...all].sort());
      const pages = await walkPages<Item>(sut, '/api/v1/schedule', { ...window, limit: 4 });
      expectFullPagesWithoutRepeats(pages, 4, keyOf);
      expect(pages.flat().map(keyOf)).toEqual(all);
    });

    it('keeps the window in the cursor, and refuses it with another window', async () => {
      const first = await get('/api/v1/schedule', { ...window, limit: 4 }).expect(200);
      const cursor = first.body.nextCursor as string;
      const bare = await get('/api/v1/schedule', { cursor, limit: 4 }).expect(200);
      const same = await get('/api/v1/schedule', { ...window, cursor, limit: 4 }).expect(200);
      expect(bare.body).toEqual(same.body);
      expect(bare.body).toMatchObject({ from: first.body.from, to: first.body.to });
      expect(bare.body.items[0]).not.toEqual(first.body.items[3]);
      const moved = await get('/api/v1/schedule', { to: '2025-02-01', cursor }).expect(400);
      expect(moved.body.fields).toEqual([expect.objectContaining({ field: 'cursor' })]);
    });

    it('pages a service owner through their own services only', async () => {
      const owner = await sut.token('service-owner', ['utas', 'utokyo-vpn']);
      const whole = await get('/api/v1/schedule', { ...window, limit: 1000 }, owner).expect(200);
      expect(new Set(whole.body.items.map((t: Item) => t.service))).toEqual(new Set(['utas', 'utokyo-vpn']));
      const pages = await walkPages<Item>(sut, '/api/v1/schedule', { ...window, limit: 2 }, owner);
      expect(pages.flat()).toEqual(whole.body.items);
    });
  });

  describe('refusals', () => {
    const cursorOf = async (path: string, query: Record<string, string> = {}) =>
      (await get(path, { ...query, limit: 1 }).expect(200)).body.nextCursor as string;
    const lists = {
      services: '/api/v1/services',
      revisions: '/api/v1/policies/paged/revisions',
      schedule: '/api/v1/schedule',
      rollout: '/api/v1/rollout',
    };

    it.each(Object.entries(lists))(
      'refuses a bad limit or cursor on %s with 400 naming it',
      async (_name, path) => {
        const bad: [string, Record<string, string | number>][] = [
          ['limit', { limit: 0 }],
          ['limit', { limit: 1001 }],
          ['limit', { limit: 'ten' }],
          ['limit', { limit: '1.5' }],
          ['limit', { limit: '0x10' }],
          ['cursor', { cursor: 'not a cursor' }],
          ['cursor', { cursor: Buffer.from('offset:10').toString('base64url') }],
          ['cursor', { cursor: 'x'.repeat(1001) }],
        ];
        for (const [field, query] of bad) {
          const res = await get(path, query);
          expect({ query, status: res.status, code: res.body.code }).toEqual({
            query,
            status: 400,
            code: 'VALIDATION_FAILED',
          });
          expect([...new Set(res.body.fields.map((each: { field: string }) => each.field))]).toEqual([field]);
        }
      },
    );

    it("refuses one list's cursor on another with 400 naming cursor", async () => {
      const cursors = {
        services: await cursorOf(lists.services),
        revisions: await cursorOf(lists.revisions),
        schedule: await cursorOf(lists.schedule, window),
        rollout: await cursorOf(lists.rollout),
      };
      for (const [name, path] of Object.entries(lists)) {
        for (const [from, cursor] of Object.entries(cursors)) {
          if (from === name) {
            continue;
          }
          const res = await get(path, { cursor });
          expect({ path, from, status: res.status, fields: res.body.fields }).toEqual({
            path,
            from,
            status: 400,
            fields: [expect.objectContaining({ field: 'cursor' })],
          });
        }
      }
    });

    it('refuses the filters a list does not have', async () => {
      await get('/api/v1/services', { state: 'pending' }).expect(400);
      await get('/api/v1/policies/paged/revisions', { q: 'x' }).expect(400);
      await get('/api/v1/schedule', { tag: 'library' }).expect(400);
    });
  });
});
