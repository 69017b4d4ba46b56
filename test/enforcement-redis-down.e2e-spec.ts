import { insertPolicy, insertWebhookServices, rulesStates } from './enforcement-fixtures';
import { freePort } from './support/processes';
import { bearer, startTestApi, TestApi } from './support/test-api';

describe('rules and redelivery with Redis down', () => {
  let sut: TestApi;

  beforeAll(async () => {
    // Nothing listens on this port: Redis is "down" from the API's point of view.
    sut = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    await insertPolicy(sut.db);
    await insertWebhookServices(sut.db, [{ id: 'svc-w', url: 'https://receiver.example/hook' }]);
    // As a worker left it: generation 1 computed, and the connector disabled by a 410.
    await sut.db.query(
      `INSERT INTO service_rules (service_id, generation, hash, rules, computed_at) VALUES ('svc-w', 1, 'sha256:x', '[]', now())`,
    );
    await sut.db.query(
      `UPDATE services SET connector_disabled_at = now(), connector_disabled_reason = 'gone' WHERE id = 'svc-w'`,
    );
  });

  afterAll(async () => {
    await sut.close();
  });

  it('still serves the rules document from PostgreSQL and takes acks', async () => {
    const connector = await sut.token('connector', ['svc-w']);
    const res = await sut.http
      .get('/api/v1/services/svc-w/rules')
      .set(...bearer(connector))
      .expect(200);
    expect(res.headers.etag).toBe('"1"');
    await sut.http
      .post('/api/v1/services/svc-w/rules/ack')
      .set(...bearer(connector))
      .send({ generation: 1 })
      .expect(204);
    expect((await rulesStates(sut.db)).get('svc-w')?.applied_generation).toBe(1);
  });

  it('refuses a redelivery with 503 and changes nothing', async () => {
    const planner = await sut.token('planner');
    const before = await sut.db.query(`SELECT count(*) AS n FROM audit_events`);
    const res = await sut.http
      .post('/api/v1/services/svc-w/redeliver')
      .set(...bearer(planner))
      .send({})
      .expect(503);
    expect(res.body.code).toBe('DEPENDENCY_DOWN');
    const [service] = await sut.db.query<{ connector_disabled_at: Date | null }>(
      `SELECT connector_disabled_at FROM services WHERE id = 'svc-w'`,
    );
    expect(service.connector_disabled_at).not.toBeNull();
    expect(await sut.db.query(`SELECT count(*) AS n FROM audit_events`)).toEqual(before);
  });
});
