import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

describe('operations endpoints', () => {
  let sut: TestApi;

  beforeAll(async () => {
    sut = await startTestApi({ STEPWISE_METRICS_ALLOW: '198.51.100.0/24' });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('serves the queue dashboard to admins only', async () => {
    const anonymous = await sut.http.get('/admin/queues').expect(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic');
    const auditor = await sut.token('auditor');
    await sut.http
      .get('/admin/queues')
      .set(...bearer(auditor))
      .expect(403);
    const page = await sut.http
      .get('/admin/queues')
      .set(...bearer(ADMIN_TOKEN))
      .expect(200);
    expect(page.text).toContain('Stepwise queues');
    const api = await sut.http
      .get('/admin/queues/api/queues')
      .set(...bearer(ADMIN_TOKEN))
      .expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name)).toContain('system');
    const basic = Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64');
    await sut.http.get('/admin/queues').set('authorization', `Basic ${basic}`).expect(200);
  });

  it('exposes Prometheus metrics with request durations and queue depths', async () => {
    await sut.http.get('/health/live').expect(200);
    const res = await sut.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(
      /stepwise_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} \d+/,
    );
    expect(res.text).toMatch(/stepwise_queue_jobs\{queue="system",state="waiting"\} \d+/);
  });

  it('answers /metrics to loopback and STEPWISE_METRICS_ALLOW only, 403 naming the setting to others', async () => {
    const scrapeFrom = (remoteAddress: string) =>
      sut.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/metrics', remoteAddress });
    for (const allowed of ['127.0.0.1', '::1', '198.51.100.7', '::ffff:198.51.100.7']) {
      expect([allowed, (await scrapeFrom(allowed)).statusCode]).toEqual([allowed, 200]);
    }
    for (const other of ['203.0.113.9', '::ffff:203.0.113.9', '2001:db8::1']) {
      const refused = await scrapeFrom(other);
      expect([other, refused.statusCode]).toEqual([other, 403]);
      expect(refused.json()).toMatchObject({ message: expect.stringContaining('STEPWISE_METRICS_ALLOW') });
    }
  });
});
