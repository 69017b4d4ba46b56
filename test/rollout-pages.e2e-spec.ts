import { insertPullService, insertWebhookServices } from './enforcement-fixtures';
import { expectFullPagesWithoutRepeats, walkPages } from './list-pages-support';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

type Item = Record<string, unknown>;
const serviceOf = (item: Item) => item.service as string;

interface RulesSpec {
  generation: number;
  applied: number;
  lastError?: string;
  redeliveryRequested?: boolean;
}

/**
 * Each state the rollout tells apart, as the enforcement path leaves the rows (written straight
 * into the tables: these tests read the state, the delivery suites make it happen).
 */
const CASES: [service: string, connector: 'pull' | 'webhook', rules: RulesSpec | null, state: string][] = [
  ['case-a-never-computed', 'webhook', null, 'pending'],
  ['case-b-applied', 'webhook', { generation: 2, applied: 2 }, 'in-sync'],
  ['case-c-applied-old-error', 'webhook', { generation: 3, applied: 3, lastError: 'old' }, 'in-sync'],
  ['case-d-behind', 'webhook', { generation: 3, applied: 2 }, 'pending'],
  ['case-e-redelivering', 'webhook', { generation: 3, applied: 3, redeliveryRequested: true }, 'pending'],
  [
    'case-f-redelivery-failed',
    'webhook',
    { generation: 3, applied: 3, redeliveryRequested: true, lastError: 'HTTP 500' },
    'failing',
  ],
  ['case-g-send-failed', 'webhook', { generation: 3, applied: 2, lastError: 'HTTP 500' }, 'failing'],
  ['case-h-pull-behind', 'pull', { generation: 3, applied: 2 }, 'pending'],
  // An agent reports a failed apply (POST /services/:id/rules/failures): a pull service fails too.
  [
    'case-m-pull-apply-failed',
    'pull',
    { generation: 3, applied: 2, lastError: 'configtest failed' },
    'failing',
  ],
  ['case-i-pull-applied', 'pull', { generation: 1, applied: 1 }, 'in-sync'],
  ['case-j-gone', 'webhook', { generation: 3, applied: 3 }, 'disabled'],
  ['case-k-gone-behind', 'webhook', { generation: 3, applied: 2, lastError: 'HTTP 410' }, 'disabled'],
  ['case-l-gone-never-computed', 'webhook', null, 'disabled'],
];

describe('rollout: keyset pages with the state and the counts computed in PostgreSQL', () => {
  let sut: TestApi;
  let planner: string;

  beforeAll(async () => {
    sut = await startTestApi();
    planner = await sut.token('planner');
    await insertWebhookServices(
      sut.db,
      CASES.filter(([, connector]) => connector === 'webhook').map(([id]) => ({
        id,
        url: 'http://127.0.0.1:9/hook',
      })),
    );
    for (const [id, connector] of CASES) {
      if (connector === 'pull') {
        await insertPullService(sut.db, id);
      }
    }
    for (const [id, , rules] of CASES) {
      if (rules === null) {
        continue;
      }
      await sut.db.query(
        `INSERT INTO service_rules (service_id, generation, hash, rules, computed_at, applied_generation,
           last_error, redelivery_requested_at)
         VALUES ($1, $2, 'sha256:test', '[]', now(), $3, $4, CASE WHEN $5 THEN now() END)`,
        [id, rules.generation, rules.applied, rules.lastError ?? null, rules.redeliveryRequested ?? false],
      );
    }
    await sut.db.query(
      `UPDATE services SET connector_disabled_at = now(), connector_disabled_reason = 'HTTP 410'
       WHERE id IN ('case-j-gone', 'case-k-gone-behind', 'case-l-gone-never-computed')`,
    );
    // Enough pending services for more than one default page.
    await sut.db.query(
      `INSERT INTO services (id, name, connector_type)
       SELECT 'many-' || lpad(n::text, 3, '0'), 'many', 'pull' FROM generate_series(1, 100) AS n`,
    );
  });

  afterAll(async () => {
    await sut.close();
  });

  const rollout = (query: Record<string, string | number> = {}) =>
    sut.http
      .get('/api/v1/rollout')
      .query(query)
      .set(...bearer(planner))
      .expect(200);
  const expectedCounts = { 'in-sync': 3, pending: 104, failing: 3, disabled: 3 };

  it('tells each state apart', async () => {
    const res = await rollout({ limit: 1000 });
    const states = new Map((res.body.items as Item[]).map((item) => [serviceOf(item), item.state]));
    expect(CASES.map(([id]) => [id, states.get(id)])).toEqual(CASES.map(([id, , , state]) => [id, state]));
  });

  it('counts every service by state on every page, whatever the filter', async () => {
    const first = await rollout();
    expect(first.body.counts).toEqual(expectedCounts);
    expect(first.body.items).toHaveLength(100);
    const second = await rollout({ cursor: first.body.nextCursor as string });
    expect(second.body).toMatchObject({ counts: expectedCounts, nextCursor: null });
    expect(second.body.items).toHaveLength(113 - 100);
    expect((await rollout({ state: 'disabled' })).body.counts).toEqual(expectedCounts);
  });

  it('pages every service by id without repeats', async () => {
    const pages = await walkPages<Item>(sut, '/api/v1/rollout', { limit: 7 }, ADMIN_TOKEN);
    expectFullPagesWithoutRepeats(pages, 7, serviceOf);
    const ids = await sut.db.query<{ id: string }>('SELECT id FROM services ORDER BY id');
    expect(pages.flat().map(serviceOf)).toEqual(ids.map((row) => row.id));
  });

  it.each(['in-sync', 'pending', 'failing', 'disabled'])('pages only the %s services', async (state) => {
    const pages = await walkPages<Item>(sut, '/api/v1/rollout', { state, limit: 2 }, ADMIN_TOKEN);
    expectFullPagesWithoutRepeats(pages, 2, serviceOf);
    const listed = pages.flat();
    expect(listed.every((item) => item.state === state)).toBe(true);
    expect(listed).toHaveLength(expectedCounts[state as keyof typeof expectedCounts]);
  });
});
