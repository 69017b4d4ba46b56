import { waitFor } from './enforcement-fixtures';
import { freePort } from './support/processes';
import { TcpProxy } from './support/tcp-proxy';
import { startTestApi, TestApi } from './support/test-api';

describe('API with a Redis that stops answering but keeps its connections open', () => {
  let sut: TestApi;
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = new TcpProxy(await freePort(), { host: '127.0.0.1', port: 6379 });
    await proxy.up();
    sut = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
  });

  afterAll(async () => {
    await proxy.down();
    await sut.close();
  });

  it('reports not ready with 503 naming Redis within its check timeout, instead of never answering', async () => {
    // The API connects to Redis (through the proxy) in the background after it starts listening:
    // wait until it says it is ready rather than assume it already is.
    await waitFor(
      'API ready through the proxy',
      async () => (await sut.http.get('/health/ready')).status === 200,
      15_000,
    );
    proxy.stall();
    const started = Date.now();
    const res = await sut.http.get('/health/ready').timeout(10_000).expect(503);
    expect(res.body.details).toMatchObject({
      database: { status: 'up' },
      redis: { status: 'down', message: 'timeout of 2000ms exceeded' },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
