import Redis from 'ioredis';
import {
  admin,
  aService,
  auditCount,
  eventually,
  footprint,
  listenForPlanChanges,
  redisUrlOfDatabase,
} from './planning-support';
import { bearer, startTestApi, TestApi } from './support/test-api';

describe('service directory', () => {
  let sut: TestApi;
  let planner: [string, string];

  beforeAll(async () => {
    sut = await startTestApi({ STEPWISE_WEBHOOK_ALLOWLIST: '127.0.0.1/32', STEPWISE_TIMEZONE: 'Asia/Tokyo' });
    planner = bearer(await sut.token('planner'));
  });

  afterAll(async () => {
    await sut.close();
  });

  const create = (body: Record<string, unknown>, as = planner) =>
    sut.http
      .post('/api/v1/services')
      .set(...as)
      .send(body);

  it('registers a service with its initial capability fact, version 1 and an ETag, audited once', async () => {
    const before = await auditCount(sut, 'service.created');
    const res = await create(aService('svc-mail', { tags: ['email'], readySince: '2024-02-20' })).expect(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      id: 'svc-mail',
      mfaCapability: 'ready',
      readySince: '2024-02-19T15:00:00.000Z',
      version: 1,
      imported: false,
      connector: { type: 'pull', url: null },
    });
    expect(res.body.capabilityHistory).toEqual([
      {
        mfaCapability: 'ready',
        effectiveAt: '2024-02-19T15:00:00.000Z',
        recordedAt: expect.any(String),
        imported: false,
      },
    ]);
    // Registered through the API, the fact is recorded now, however far back it applies.
    expect(Date.parse(res.body.capabilityHistory[0].recordedAt)).toBeGreaterThan(Date.parse('2025-01-01'));
    expect(await auditCount(sut, 'service.created')).toBe(before + 1);
    const got = await sut.http
      .get('/api/v1/services/svc-mail')
      .set(...planner)
      .expect(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.body).toEqual(res.body);
  });

  it('refuses a duplicate id with 409 DUPLICATE', async () => {
    await create(aService('svc-dup')).expect(201);
    const res = await create(aService('svc-dup')).expect(409);
    expect(res.body.code).toBe('DUPLICATE');
  });

  it.each([
    ['id', aService('Not A Slug')],
    ['name', { id: 'svc-x', mfaCapability: 'ready', connector: { type: 'pull' } }],
    ['mfaCapability', aService('svc-x', { mfaCapability: 'maybe' })],
    ['readySince', aService('svc-x', { mfaCapability: 'not-ready', readySince: '2024-02-01' })],
    ['introducedAt', aService('svc-x', { introducedAt: '2024-03-01T09:00' })],
    ['readySince', aService('svc-x', { readySince: '2024-02-30' })],
    ['colour', aService('svc-x', { colour: 'blue' })],
    ['connector.type', aService('svc-x', { connector: { type: 'email' } })],
    ['connector.url', aService('svc-x', { connector: { type: 'webhook' } })],
    ['connector.url', aService('svc-x', { connector: { type: 'pull', url: 'http://127.0.0.1:9/' } })],
    [
      'connector.secret',
      aService('svc-x', { connector: { type: 'webhook', url: 'http://127.0.0.1:9/', secret: 'hunter2' } }),
    ],
    [
      'connector.url',
      aService('svc-x', { connector: { type: 'webhook', url: 'http://169.254.169.254/latest/meta-data' } }),
    ],
    ['connector.url', aService('svc-x', { connector: { type: 'webhook', url: 'http://10.1.2.3/hook' } })],
  ])('refuses with 400 naming %s and stores nothing', async (field, body) => {
    const before = await footprint(sut);
    const res = await create(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(res.body.message).toContain(field);
    expect(await footprint(sut)).toEqual(before);
  });

  it('refuses a valid service sent with a query parameter the route does not take, and stores nothing', async () => {
    // A client that believes it asked for a dry run must not find the service registered.
    const before = await footprint(sut);
    const res = await sut.http
      .post('/api/v1/services?dryRun=true')
      .set(...planner)
      .send(aService('svc-dry'))
      .expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'dryRun' }] });
    expect(await footprint(sut)).toEqual(before);
    await sut.http
      .get('/api/v1/services/svc-dry')
      .set(...planner)
      .expect(404);
  });

  it('returns a webhook secret once, stores it only sealed, and never shows it again', async () => {
    const body = aService('svc-hook', { connector: { type: 'webhook', url: 'http://127.0.0.1:9/hook' } });
    const res = await create(body).expect(201);
    const secret: string = res.body.connector.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);
    const [row] = await sut.db.query<{ webhook_secret_enc: string }>(
      `SELECT webhook_secret_enc FROM services WHERE id = 'svc-hook'`,
    );
    expect(row.webhook_secret_enc).toMatch(/^v1\./);
    expect(row.webhook_secret_enc).not.toContain(secret.slice('whsec_'.length));
    const got = await sut.http
      .get('/api/v1/services/svc-hook')
      .set(...planner)
      .expect(200);
    const listed = await sut.http
      .get('/api/v1/services')
      .set(...planner)
      .expect(200);
    const audit = await sut.db.query(`SELECT before, after FROM audit_events WHERE resource_id = 'svc-hook'`);
    expect(listed.body.items.map((s: { id: string }) => s.id)).toContain('svc-hook');
    for (const shown of [got.body, listed.body, audit]) {
      expect(JSON.stringify(shown)).not.toContain(secret.slice(6));
    }
    expect(got.body.connector).toEqual({
      type: 'webhook',
      url: 'http://127.0.0.1:9/hook',
      disabledAt: null,
      disabledReason: null,
    });
  });

  it('keeps a caller-given secret in Standard Webhooks form', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = aService('svc-hook2', {
      connector: { type: 'webhook', url: 'http://127.0.0.1:9/h', secret },
    });
    const res = await create(body).expect(201);
    expect(res.body.connector.secret).toBe(secret);
  });

  describe('scoping', () => {
    it('shows a service owner only their own services, and 403 for another', async () => {
      await create(aService('svc-own-a')).expect(201);
      await create(aService('svc-own-b')).expect(201);
      const owner = bearer(await sut.token('service-owner', ['svc-own-a']));
      const list = await sut.http
        .get('/api/v1/services')
        .set(...owner)
        .expect(200);
      expect(list.body).toEqual({ items: [expect.objectContaining({ id: 'svc-own-a' })], nextCursor: null });
      await sut.http
        .get('/api/v1/services/svc-own-a')
        .set(...owner)
        .expect(200);
      const other = await sut.http
        .get('/api/v1/services/svc-own-b')
        .set(...owner)
        .expect(403);
      expect(other.body.code).toBe('FORBIDDEN');
      // Refused the same whether or not the service exists, so the answer reveals nothing.
      await sut.http
        .get('/api/v1/services/svc-not-there')
        .set(...owner)
        .expect(403);
    });

    it('refuses connectors the directory, and lets auditors read it', async () => {
      const connector = bearer(await sut.token('connector', ['svc-own-a']));
      await sut.http
        .get('/api/v1/services')
        .set(...connector)
        .expect(403);
      await sut.http
        .get('/api/v1/services/svc-own-a')
        .set(...connector)
        .expect(403);
      const auditor = bearer(await sut.token('auditor'));
      await sut.http
        .get('/api/v1/services')
        .set(...auditor)
        .expect(200);
      await create(aService('svc-by-auditor'), auditor).expect(403);
    });
  });

  it('announces each committed change on the plan-changed channel', async () => {
    const listener = await listenForPlanChanges(sut);
    try {
      await create(aService('svc-notice')).expect(201);
      await sut.http
        .post('/api/v1/services/svc-notice/capability-changes')
        .set(...admin)
        .send({ mfaCapability: 'not-ready' })
        .expect(201);
      await eventually(() => listener.messages.length >= 2, 'two plan-changed notices');
      expect(listener.messages).toEqual([
        { kind: 'service', id: 'svc-notice' },
        { kind: 'service', id: 'svc-notice' },
      ]);
    } finally {
      listener.close();
    }
  });

  it('keeps its notices from a deployment on another database of the same Redis, same prefix', async () => {
    const ours = await listenForPlanChanges(sut);
    const otherDatabase = await listenForPlanChanges(sut, redisUrlOfDatabase(1));
    const publisher = new Redis(redisUrlOfDatabase(1));
    try {
      await create(aService('svc-db-zero')).expect(201);
      await eventually(() => ours.messages.length >= 1, 'the notice on our channel');
      // Published after ours was delivered: it reaches the other listener after ours would have.
      await publisher.publish(otherDatabase.channel, JSON.stringify({ marker: true }));
      await eventually(() => otherDatabase.messages.length >= 1, 'the marker');
      expect(otherDatabase.messages).toEqual([{ marker: true }]);
      expect(ours.messages).toEqual([{ kind: 'service', id: 'svc-db-zero' }]);
    } finally {
      ours.close();
      otherDatabase.close();
      publisher.disconnect();
    }
  });
});
