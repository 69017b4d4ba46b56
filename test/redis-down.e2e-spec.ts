import { freePort } from './support/processes';
import { startTestApi, TestApi } from './support/test-api';

describe('API with Redis down', () => {
  let sut: TestApi;
  // BullMQ prints a queue's 'error' event to stderr when nobody listens to it yet.
  const stderr = jest.spyOn(console, 'error');

  beforeAll(async () => {
    // Nothing listens on this port: Redis is "down" from the API's point of view.
    sut = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });

  afterAll(async () => {
    await sut.close();
    stderr.mockRestore();
  });

  it('still starts, stays live, and reports not ready with 503 naming Redis', async () => {
    await sut.http.get('/health/live').expect(200);
    const res = await sut.http.get('/health/ready').expect(503);
    expect(res.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'down' } });
  });

  it("logs the queues' connection errors through its logger, none raw to stderr", () => {
    expect(stderr.mock.calls.map(([first]) => String(first))).toEqual([]);
  });
});
