import { DesiredStateRefresher } from '@stepwise/enforcement/desired-state.refresher';
import {
  enforcingPhase,
  insertPolicy,
  insertPullService,
  publishRevision,
  rulesStates,
} from './enforcement-fixtures';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

describe('POST /services/:id/rules/failures: an enforcement point that could not apply', () => {
  let sut: TestApi;
  let connector: string;
  const past = new Date(Date.now() - 60_000);

  const report = (service: string, body: unknown, token = connector) =>
    sut.http
      .post(`/api/v1/services/${service}/rules/failures`)
      .set(...bearer(token))
      .send(body as object);
  const rolloutOf = async (service: string) => {
    const res = await sut.http
      .get('/api/v1/rollout')
      .set(...bearer(ADMIN_TOKEN))
      .expect(200);
    return (res.body.items as { service: string }[]).find((item) => item.service === service);
  };

  beforeAll(async () => {
    sut = await startTestApi();
    await insertPolicy(sut.db);
    await insertPullService(sut.db, 'pull-a');
    await insertPullService(sut.db, 'pull-b');
    connector = await sut.token('connector', ['pull-a']);
    await publishRevision(sut.db, 'mfa', 1, [enforcingPhase('step-1', past, ['pull-a'])]);
    await sut.app.get(DesiredStateRefresher, { strict: false }).refresh();
  });

  afterAll(async () => {
    await sut.close();
  });

  it('shows the service failing with the reason, audited, until a generation is acknowledged', async () => {
    await report('pull-a', { generation: 1, error: 'apachectl configtest: Syntax error' }).expect(204);
    expect(await rolloutOf('pull-a')).toMatchObject({
      state: 'failing',
      appliedGeneration: 0,
      lastError: 'the enforcement point could not apply generation 1: apachectl configtest: Syntax error',
    });
    const audited = await sut.db.query<{ after: { generation: number; via: string } }>(
      `SELECT after FROM audit_events WHERE action = 'rules.apply-failed' AND resource_id = 'pull-a'`,
    );
    expect(audited.map((row) => row.after)).toEqual([
      expect.objectContaining({ generation: 1, via: 'report' }),
    ]);
    await sut.http
      .post('/api/v1/services/pull-a/rules/ack')
      .set(...bearer(connector))
      .send({ generation: 1 })
      .expect(204);
    expect(await rolloutOf('pull-a')).toMatchObject({
      state: 'in-sync',
      appliedGeneration: 1,
      lastError: null,
    });
  });

  it('refuses a stale or never-issued generation (409) and changes nothing', async () => {
    expect((await report('pull-a', { generation: 1, error: 'late' }).expect(409)).body.message).toMatch(
      /not newer than the applied generation 1/,
    );
    expect((await report('pull-a', { generation: 5, error: 'x' }).expect(409)).body.message).toMatch(
      /has not been issued/,
    );
    expect((await rulesStates(sut.db)).get('pull-a')).toMatchObject({ applied_generation: 1 });
    expect(await rolloutOf('pull-a')).toMatchObject({ state: 'in-sync', lastError: null });
    // With an Idempotency-Key too: the refusal keeps no claim (found by the contract fuzz).
    const keys = async () =>
      Number((await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM idempotency_keys'))[0].n);
    const before = await keys();
    await report('pull-a', { generation: 1, error: 'late' })
      .set('idempotency-key', 'stale-report')
      .expect(409);
    await report('pull-a', { generation: 5, error: 'x' }).set('idempotency-key', 'stale-report').expect(409);
    expect(await keys()).toBe(before);
  });

  it('takes reports only from the connector of that service, with valid fields', async () => {
    await report('pull-b', { generation: 1, error: 'x' }).expect(403);
    await report('pull-a', { generation: 1, error: 'x' }, await sut.token('planner')).expect(403);
    const missing = await report('pull-a', { generation: 1 }).expect(400);
    expect(new Set(missing.body.fields.map((field: { field: string }) => field.field))).toEqual(
      new Set(['error']),
    );
    const long = await report('pull-a', { generation: 1, error: 'x'.repeat(1001) }).expect(400);
    expect(new Set(long.body.fields.map((field: { field: string }) => field.field))).toEqual(
      new Set(['error']),
    );
    await report('nope', { generation: 1, error: 'x' }, ADMIN_TOKEN).expect(403);
  });
});
