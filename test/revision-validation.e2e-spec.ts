import { admin, aPhase, aRevision, footprint, givenDirectoryAndPolicy } from './planning-support';
import { bearer, startTestApi, TestApi } from './support/test-api';

// Every rule a revision body is checked against: each refusal is a 400 that names the field by
// its path and stores nothing (no revision, no audit event).

const withPhase = (overrides: Record<string, unknown>) => aRevision({ phases: [aPhase(overrides)] });
const withScope = (scope: Record<string, unknown>) => withPhase({ scope });

describe('revision validation', () => {
  let sut: TestApi;
  let planner: [string, string];
  let policy: string;

  beforeAll(async () => {
    sut = await startTestApi();
    planner = bearer(await sut.token('planner'));
    policy = await givenDirectoryAndPolicy(sut);
  });

  afterAll(async () => {
    await sut.close();
  });

  const draft = (body: unknown) =>
    sut.http
      .post(`/api/v1/policies/${policy}/revisions`)
      .set(...planner)
      .send(body as object);

  it('accepts a valid revision as a draft numbered 1 (the rules below each break it in one place)', async () => {
    const res = await draft(aRevision()).expect(201);
    expect(res.body).toMatchObject({ number: 1, status: 'draft', baseRevision: null });
    expect(res.body.phases[0]).toMatchObject({ key: 'step-1', state: 'active' });
  });

  it.each([
    ['phases[1].key', aRevision({ phases: [aPhase(), aPhase({ title: 'again' })] }), 'duplicates'],
    ['phases[0].key', withPhase({ key: 'Step One' }), 'slug'],
    ['phases[0].title', withPhase({ title: '' }), 'empty'],
    ['phases[0].scope.services[0]', withScope({ services: ['no-such-service'] }), 'unknown service'],
    [
      'phases[0].scope.except[0]',
      withScope({ selector: { mfaCapability: 'ready' }, except: ['ghost'] }),
      'unknown service',
    ],
    ['phases[0].scope', withScope({ services: ['svc-vpn'], selector: { tags: ['network'] } }), 'exactly one'],
    ['phases[0].scope', withScope({}), 'exactly one'],
    ['phases[0].scope.selector', withScope({ selector: {} }), 'mfaCapability, tags'],
    ['phases[0].scope.selector.mfaCapability', withScope({ selector: { mfaCapability: 'maybe' } }), 'one of'],
    ['phases[0].scope.selector.tags', withScope({ selector: { tags: [] } }), 'at least one'],
    [
      'phases[0].scope.populations[0]',
      withScope({ services: ['svc-vpn'], populations: ['alumni'] }),
      'population',
    ],
    [
      'phases[0].effective',
      withPhase({ effective: { at: '2024-03-01', tentative: '2024-05' } }),
      'exactly one',
    ],
    ['phases[0].effective.at', withPhase({ effective: { at: '2024-03-01T09:00' } }), 'offset'],
    ['phases[0].effective.at', withPhase({ effective: { at: '2024-03-01T09:00:00' } }), 'offset'],
    ['phases[0].effective.at', withPhase({ effective: { at: '2023-02-29' } }), 'not a real date'],
    ['phases[0].effective.at', withPhase({ effective: { at: '2024-04-31T00:00:00Z' } }), 'not a real date'],
    ['phases[0].effective.at', withPhase({ effective: { at: 'next tuesday' } }), 'date'],
    ['phases[0].effective.tentative', withPhase({ effective: { tentative: '2024-13' } }), 'not a real month'],
    ['phases[0].effective.tentative', withPhase({ effective: { tentative: 'May 2024' } }), 'YYYY-MM'],
    [
      'phases[0].effective.tentative',
      withPhase({ effective: { tentative: '2024-02-30' } }),
      'not a real date',
    ],
    ['phases[0].enforcement', withPhase({ enforcement: 'block' }), 'one of'],
    ['phases[0].state', withPhase({ state: 'paused' }), 'one of'],
    ['phases[0].stateReason', withPhase({ state: 'suspended' }), 'required'],
    ['phases[0].stateReason', withPhase({ state: 'cancelled', stateReason: ' ' }), 'empty'],
    ['standingRules[0].on', aRevision({ standingRules: [{ on: 'mfa-enabled' }] }), 'one of'],
    [
      'standingRules[1].on',
      aRevision({ standingRules: [{ on: 'mfa-ready' }, { on: 'mfa-ready' }] }),
      'duplicates',
    ],
    [
      'standingRules[0].enforcement',
      aRevision({ standingRules: [{ on: 'mfa-ready', enforcement: 'audit' }] }),
      'one of',
    ],
    [
      'standingRules[0].since',
      aRevision({ standingRules: [{ on: 'mfa-ready', since: '2024-02-28T00:00' }] }),
      'offset',
    ],
    ['mandatory.since', aRevision({ mandatory: { since: '2024-02-30' } }), 'not a real date'],
    ['phases', aRevision({ phases: undefined }), 'required'],
    // Unknown fields are refused at every depth, never silently dropped.
    ['colour', aRevision({ colour: 'blue' }), 'not a known field'],
    ['phases[0].owner', withPhase({ owner: 'cio' }), 'not a known field'],
    [
      'phases[0].effective.until',
      withPhase({ effective: { at: '2024-03-01', until: '2024-04-01' } }),
      'not a known field',
    ],
    [
      'phases[0].scope.include',
      withScope({ services: ['svc-vpn'], include: ['svc-legacy'] }),
      'not a known field',
    ],
    [
      'phases[0].scope.selector.name',
      withScope({ selector: { tags: ['network'], name: 'x' } }),
      'not a known field',
    ],
    [
      'standingRules[0].baseline',
      aRevision({ standingRules: [{ on: 'mfa-ready', baseline: '2024-02-28' }] }),
      'not a known field',
    ],
    [
      'mandatory.until',
      aRevision({ mandatory: { since: '2024-02-28', until: '2025-01-01' } }),
      'not a known field',
    ],
    ['summary', aRevision({ summary: undefined }), 'string'],
    ['reason', aRevision({ reason: '' }), 'empty'],
    ['sourceUrl', aRevision({ sourceUrl: 'ftp://example.org/plan' }), 'http'],
    ['publishAt', aRevision({ publishAt: '2030-01-01T09:00' }), 'offset'],
    ['publishAt', aRevision({ publishAt: '2020-01-01' }), 'past'],
    ['(root)', ['not', 'an', 'object'], 'object'],
  ])('refuses %s (%#) with 400 naming it, storing nothing', async (field, body, why) => {
    const before = await footprint(sut);
    const res = await draft(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const named = (res.body.fields as { field: string; message: string }[]).find(
      (error) => error.field === field,
    );
    expect(named?.message).toContain(why);
    expect(res.body.message).toContain(field);
    expect(await footprint(sut)).toEqual(before);
  });

  it('reports every error of a body at once, each by its path', async () => {
    const body = aRevision({
      summary: '',
      phases: [
        aPhase({ effective: { at: '2024-03-01T09:00' } }),
        aPhase({ key: 'step-2', scope: { services: ['x1'] }, state: 'suspended' }),
      ],
    });
    const res = await draft(body).expect(400);
    expect(res.body.fields.map((error: { field: string }) => error.field).sort()).toEqual([
      'phases[0].effective.at',
      'phases[1].scope.services[0]',
      'phases[1].stateReason',
      'summary',
    ]);
  });

  it('answers 404 for an unknown policy, and refuses a policy body by the same rules', async () => {
    await sut.http
      .post('/api/v1/policies/no-such/revisions')
      .set(...planner)
      .send(aRevision())
      .expect(404);
    for (const [field, body] of [
      ['timezone', { id: 'p-bad', title: 'x', timezone: 'Mars/Olympus' }],
      ['timezone', { id: 'p-bad', title: 'x', timezone: '+09:00' }],
      ['id', { id: 'P', title: 'x', timezone: 'UTC' }],
      ['populations', { id: 'p-bad', title: 'x', timezone: 'UTC', populations: [] }],
      ['requireApproval', { id: 'p-bad', title: 'x', timezone: 'UTC', requireApproval: 'yes' }],
      ['owner', { id: 'p-bad', title: 'x', timezone: 'UTC', owner: 'cio' }],
    ] as const) {
      const before = await footprint(sut);
      const res = await sut.http
        .post('/api/v1/policies')
        .set(...admin)
        .send(body)
        .expect(400);
      expect(res.body.fields.map((error: { field: string }) => error.field)).toContain(field);
      expect(await footprint(sut)).toEqual(before);
    }
  });

  it('refuses a duplicate policy id with 409', async () => {
    const res = await sut.http
      .post('/api/v1/policies')
      .set(...admin)
      .send({ id: policy, title: 'x', timezone: 'UTC' })
      .expect(409);
    expect(res.body.code).toBe('DUPLICATE');
  });
});
