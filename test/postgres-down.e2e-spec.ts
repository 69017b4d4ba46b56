import { freePort } from './support/processes';
import { TcpProxy } from './support/tcp-proxy';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

describe('API with PostgreSQL down', () => {
  let sut: TestApi;
  let proxy: TcpProxy;

  beforeAll(async () => {
    // The API reaches its database through a relay the test can take down: PostgreSQL is gone
    // for the API only, and the test still reads the database directly.
    proxy = new TcpProxy(await freePort(), { host: '127.0.0.1', port: 5432 });
    await proxy.up();
    sut = await startTestApi({}, { databasePort: proxy.port });
  });

  afterAll(async () => {
    await proxy.up().catch(() => undefined);
    await sut.close();
    await proxy.down();
  });

  const tokenCount = async () =>
    Number((await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM api_tokens'))[0].n);

  it('answers 503 naming PostgreSQL while it is gone, changes nothing, and recovers when it is back', async () => {
    await sut.http
      .get('/api/v1/services')
      .set(...bearer(ADMIN_TOKEN))
      .expect(200);
    const tokens = await tokenCount();
    await proxy.down();
    const down = {
      statusCode: 503,
      code: 'DEPENDENCY_DOWN',
      message: 'the database (PostgreSQL) is unavailable; try again shortly',
    };
    for (const path of ['/api/v1/services', '/api/v1/services/utas', '/api/v1/audit']) {
      const res = await sut.http.get(path).set(...bearer(ADMIN_TOKEN));
      expect({ path, status: res.status, body: res.body as unknown }).toMatchObject({
        path,
        status: 503,
        body: down,
      });
    }
    const created = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .send({ name: 'during the outage', role: 'planner' });
    expect({ status: created.status, body: created.body as unknown }).toMatchObject({
      status: 503,
      body: down,
    });
    await sut.http.get('/health/ready').expect(503);

    await proxy.up();
    // The pool opens new connections once the server answers again.
    await sut.http
      .get('/api/v1/services')
      .set(...bearer(ADMIN_TOKEN))
      .expect(200);
    expect(await tokenCount()).toBe(tokens);
    await sut.http.get('/health/ready').expect(200);
  });
});
