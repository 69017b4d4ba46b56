import { bearer, startTestApi, TestApi } from './support/test-api';

describe('rate limiting', () => {
  let sut: TestApi;

  beforeAll(async () => {
    sut = await startTestApi({ STEPWISE_RATE_LIMIT_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('answers 429 once a client passes its limit, and counts clients apart', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await sut.http
        .delete('/api/v1/tokens/6b0b9c37-9a3a-4f57-9a35-0c2b6f5e3f1e')
        .set(...bearer('sw_a'));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const other = await sut.http
      .delete('/api/v1/tokens/6b0b9c37-9a3a-4f57-9a35-0c2b6f5e3f1e')
      .set(...bearer('sw_b'));
    expect(other.status).toBe(401);
  });

  it('counts each route apart: a client at its limit on one route is still answered on another', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await sut.http.get('/api/v1/schedule').set(...bearer('sw_c'));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const otherRoute = await sut.http.get('/api/v1/rollout').set(...bearer('sw_c'));
    expect(otherRoute.status).toBe(401);
  });
});
