import { bearer, startTestApi, TestApi } from './support/test-api';

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
    for (let i = 0; i < count; i += 1) statuses.push((await send(i)).status);
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
});
