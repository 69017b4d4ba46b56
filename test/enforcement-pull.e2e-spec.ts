import { DesiredStateRefresher } from '@stepwise/enforcement/desired-state.refresher';
import { RulesChangeNotifier } from '@stepwise/enforcement/rules-change-notifier';
import {
  enforcingPhase,
  insertPolicy,
  insertPullService,
  publishRevision,
  rulesStates,
  waitFor,
} from './enforcement-fixtures';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

describe('pull connector: rules document, conditional GET and ack', () => {
  let sut: TestApi;
  let connector: string;
  const admin = bearer(ADMIN_TOKEN);
  const past = new Date(Date.now() - 60_000);

  const refresh = async () => {
    const result = await sut.app.get(DesiredStateRefresher, { strict: false }).refresh();
    // As the worker does after every refresh that changed something.
    if (result.changed.length > 0) {
      await sut.app.get(RulesChangeNotifier, { strict: false }).notify(result.changed.length);
    }
    return result;
  };
  const getRules = (service: string, token: string, ifNoneMatch?: string) => {
    const request = sut.http.get(`/api/v1/services/${service}/rules`).set(...bearer(token));
    return ifNoneMatch === undefined ? request : request.set('if-none-match', ifNoneMatch);
  };
  const ack = (service: string, generation: unknown, token = connector) =>
    sut.http
      .post(`/api/v1/services/${service}/rules/ack`)
      .set(...bearer(token))
      .send({ generation });

  beforeAll(async () => {
    sut = await startTestApi();
    await insertPolicy(sut.db);
    await insertPullService(sut.db, 'pull-a');
    await insertPullService(sut.db, 'pull-b');
    connector = await sut.token('connector', ['pull-a']);
  });

  afterAll(async () => {
    await sut.close();
  });

  it('answers 404 for an unknown service and 409 for one whose rules are not computed yet', async () => {
    await getRules('nope', ADMIN_TOKEN).expect(404);
    const res = await getRules('pull-a', connector).expect(409);
    expect(res.body.message).toMatch(/not been computed yet/);
  });

  it('serves the rules document with the generation as ETag, and 304 while it is current', async () => {
    await publishRevision(sut.db, 'mfa', 1, [enforcingPhase('step-1', past, ['pull-a'])], past);
    await refresh();
    const res = await waitFor('rules served', async () => {
      const answer = await getRules('pull-a', connector);
      return answer.status === 200 ? answer : null;
    });
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toEqual({
      service: 'pull-a',
      generation: 1,
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      computedAt: expect.stringMatching(/Z$/),
      rules: ['staff', 'students'].map((population) => ({
        policy: 'mfa',
        revision: 1,
        population,
        level: 'enforced',
        since: past.toISOString(),
        plannedSince: past.toISOString(),
        source: { kind: 'phase', phase: 'step-1' },
      })),
      nextChangeAt: null,
    });
    const notModified = await getRules('pull-a', connector, '"1"').expect(304);
    expect(notModified.text).toBe('');
    await getRules('pull-a', connector, 'W/"1"').expect(304);
    await getRules('pull-a', connector, '"0", "1"').expect(304);
    await getRules('pull-a', connector, '"0"').expect(200);
  });

  it('answers on the fast path exactly as the full route does (an escaped id sends it to Nest)', async () => {
    const fast = await getRules('pull-a', connector).expect(200);
    const full = await sut.http
      .get('/api/v1/services/pull%2Da/rules')
      .set(...bearer(connector))
      .expect(200);
    expect(fast.text).toBe(full.text);
    for (const header of ['etag', 'cache-control', 'content-type', 'x-content-type-options']) {
      expect([header, fast.headers[header]]).toEqual([header, full.headers[header]]);
    }
    expect(fast.headers['x-request-id']).toBeDefined();
    const fastNotModified = await getRules('pull-a', connector, '"1"').expect(304);
    const fullNotModified = await sut.http
      .get('/api/v1/services/pull%2Da/rules')
      .set(...bearer(connector))
      .set('if-none-match', '"1"')
      .expect(304);
    expect(fastNotModified.headers.etag).toBe(fullNotModified.headers.etag);
  });

  it('keeps the generation when a refresh finds nothing changed, and grows it by one when the rules change', async () => {
    const again = await refresh();
    expect(again.changed).toEqual([]);
    expect((await rulesStates(sut.db)).get('pull-a')?.generation).toBe(1);
    await publishRevision(sut.db, 'mfa', 2, [enforcingPhase('step-1', past, ['pull-a'])]);
    const changed = await refresh();
    // pull-b's rules changed too (revision 2 now governs it), each by exactly one generation.
    expect(changed.changed).toEqual(
      expect.arrayContaining([
        { serviceId: 'pull-a', generation: 2 },
        { serviceId: 'pull-b', generation: 2 },
      ]),
    );
    const res = await waitFor('generation 2 served', async () => {
      const answer = await getRules('pull-a', connector, '"1"');
      return answer.status === 200 ? answer : null;
    });
    expect(res.headers.etag).toBe('"2"');
    expect(res.body.rules[0].revision).toBe(2);
    expect((await refresh()).changed).toEqual([]);
  });

  it('takes an ack of an issued generation (204), refuses an older or never-issued one (409), repeats are harmless', async () => {
    await ack('pull-a', 1).expect(204);
    await ack('pull-a', 2).expect(204);
    await ack('pull-a', 2).expect(204);
    expect((await ack('pull-a', 1).expect(409)).body.message).toMatch(/older than the applied generation 2/);
    expect((await ack('pull-a', 3).expect(409)).body.message).toMatch(/has not been issued/);
    expect((await rulesStates(sut.db)).get('pull-a')?.applied_generation).toBe(2);
    const applied = await sut.db.query<{ after: { generation: number; via: string } }>(
      `SELECT after FROM audit_events WHERE action = 'rules.applied' AND resource_id = 'pull-a' ORDER BY seq`,
    );
    expect(applied.map((row) => row.after)).toEqual([
      expect.objectContaining({ generation: 1, via: 'ack' }),
      expect.objectContaining({ generation: 2, via: 'ack' }),
    ]);
  });

  it('lets only the connector of that service ack, with a valid generation', async () => {
    await ack('pull-b', 2).expect(403);
    await ack('pull-a', 2, await sut.token('planner')).expect(403);
    await ack('pull-a', 'two').expect(400);
    await ack('pull-a', 0).expect(400);
  });

  it('lets owners and connectors read only their own service', async () => {
    const owner = await sut.token('service-owner', ['pull-b']);
    await getRules('pull-b', owner).expect(200);
    await getRules('pull-a', owner).expect(403);
    await getRules('pull-b', connector).expect(403);
    await getRules('pull-a', await sut.token('auditor')).expect(200);
  });

  it('shows the rollout: the acked pull service in sync, the other pending', async () => {
    const res = await sut.http
      .get('/api/v1/rollout')
      .set(...admin)
      .expect(200);
    const byService = new Map(res.body.items.map((item: { service: string }) => [item.service, item]));
    expect(byService.get('pull-a')).toMatchObject({
      state: 'in-sync',
      desiredGeneration: 2,
      appliedGeneration: 2,
    });
    expect(byService.get('pull-b')).toMatchObject({
      state: 'pending',
      desiredGeneration: 2,
      appliedGeneration: 0,
    });
    expect(res.body.counts).toMatchObject({ 'in-sync': 1, pending: 1 });
  });

  it('narrows the rollout to one state, and refuses a state that does not exist', async () => {
    const pending = await sut.http
      .get('/api/v1/rollout?state=pending')
      .set(...admin)
      .expect(200);
    expect(pending.body.items.map((item: { service: string }) => item.service)).toEqual(['pull-b']);
    expect(pending.body.counts).toMatchObject({ 'in-sync': 1, pending: 1 });
    const refused = await sut.http
      .get('/api/v1/rollout?state=stuck')
      .set(...admin)
      .expect(400);
    expect(refused.body.fields.map((field: { field: string }) => field.field)).toEqual(['state']);
  });
});
