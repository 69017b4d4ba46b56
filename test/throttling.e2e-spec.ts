import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

describe('rate limiting', () => {
  let sut: TestApi;
  let first: string;
  let second: string;

  beforeAll(async () => {
    sut = await startTestApi({ STEPWISE_RATE_LIMIT_PER_MINUTE: '3' });
    // Two of the admin's three token creations this minute.
    [first, second] = [await sut.token('auditor'), await sut.token('auditor')];
  });

  afterAll(async () => {
    await sut.close();
  });

  const statusesOf = async (count: number, send: (i: number) => Promise<{ status: number }>) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i += 1) {
      statuses.push((await send(i)).status);
    }
    return statuses;
  };

  it('answers 429 once a client passes its limit, and counts clients (tokens) apart', async () => {
    const revoke = (token: string) =>
      sut.http.delete('/api/v1/tokens/6b0b9c37-9a3a-4f57-9a35-0c2b6f5e3f1e').set(...bearer(token));
    expect(await statusesOf(4, () => revoke(first))).toEqual([403, 403, 403, 429]);
    expect((await revoke(second)).status).toBe(403);
  });

  it('counts each route apart: a client at its limit on one route is still answered on another', async () => {
    expect(await statusesOf(4, () => sut.http.get('/api/v1/audit').set(...bearer(second)))).toEqual([
      200, 200, 200, 429,
    ]);
    expect((await sut.http.get('/api/v1/rollout').set(...bearer(second))).status).toBe(200);
  });

  it('counts requests with a token that is not valid by their address, however many tokens they invent', async () => {
    expect(
      await statusesOf(5, (i) => sut.http.get('/api/v1/schedule').set(...bearer(`sw_invented_${i}`))),
    ).toEqual([401, 401, 401, 429, 429]);
    expect((await sut.http.get('/api/v1/schedule')).status).toBe(429);
  });

  it('counts a hot read once per token whichever way it is answered, and gives Retry-After', async () => {
    // The admin's second service creation and third token creation this minute.
    await sut.http
      .post('/api/v1/services')
      .set(...bearer(ADMIN_TOKEN))
      .send({ id: 'svc-limit', name: 'Limit', mfaCapability: 'not-ready', connector: { type: 'pull' } })
      .expect(201);
    const owner = await sut.token('service-owner', ['svc-limit']);
    const plain = () => sut.http.get('/api/v1/services/svc-limit/requirements').set(...bearer(owner));
    // With `at`, the front door hands the request to the Nest route.
    const dated = () =>
      sut.http
        .get('/api/v1/services/svc-limit/requirements')
        .query({ at: '2026-01-01T00:00:00Z' })
        .set(...bearer(owner));
    const answers = [await plain(), await plain(), await dated(), await dated(), await plain()];
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 429, 429]);
    for (const refused of answers.slice(3)) {
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
