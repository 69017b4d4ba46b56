import { aService, auditCount, countRows, footprint } from './planning-support';
import { bearer, startTestApi, TestApi } from './support/test-api';

describe('service directory: edits under If-Match, capability changes', () => {
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

  describe('PATCH with If-Match', () => {
    beforeAll(async () => {
      await create(aService('svc-edit')).expect(201);
    });

    it('refuses without If-Match (428) and with a stale one (412), changing nothing', async () => {
      const before = await footprint(sut);
      const missing = await sut.http
        .patch('/api/v1/services/svc-edit')
        .set(...planner)
        .send({ name: 'New' })
        .expect(428);
      expect(missing.body.code).toBe('PRECONDITION_REQUIRED');
      const stale = await sut.http
        .patch('/api/v1/services/svc-edit')
        .set(...planner)
        .set('if-match', '"7"')
        .send({ name: 'New' })
        .expect(412);
      expect(stale.body.code).toBe('PRECONDITION_FAILED');
      expect(await footprint(sut)).toEqual(before);
      const got = await sut.http
        .get('/api/v1/services/svc-edit')
        .set(...planner)
        .expect(200);
      expect(got.body).toMatchObject({ name: 'Service svc-edit', version: 1 });
    });

    it('applies a patch at the current ETag, moves the ETag, and refuses the old one afterwards', async () => {
      const updated = await sut.http
        .patch('/api/v1/services/svc-edit')
        .set(...planner)
        .set('if-match', '"1"')
        .send({ name: 'Edited', owner: 'it-office', tags: ['a', 'b'] })
        .expect(200);
      expect(updated.headers.etag).toBe('"2"');
      expect(updated.body).toMatchObject({
        name: 'Edited',
        owner: 'it-office',
        tags: ['a', 'b'],
        version: 2,
      });
      const [event] = await sut.db.query<{ before: { name: string }; after: { name: string } }>(
        `SELECT before, after FROM audit_events WHERE action = 'service.updated' AND resource_id = 'svc-edit'`,
      );
      expect([event.before.name, event.after.name]).toEqual(['Service svc-edit', 'Edited']);
      await sut.http
        .patch('/api/v1/services/svc-edit')
        .set(...planner)
        .set('if-match', '"1"')
        .send({ name: 'X' })
        .expect(412);
    });

    it('lets exactly one of two editors holding the same version win', async () => {
      const { headers } = await sut.http
        .get('/api/v1/services/svc-edit')
        .set(...planner)
        .expect(200);
      const edit = (name: string) =>
        sut.http
          .patch('/api/v1/services/svc-edit')
          .set(...planner)
          .set('if-match', headers.etag)
          .send({ name });
      const answers = await Promise.all([edit('first'), edit('second')]);
      expect(answers.map((res) => res.status).sort()).toEqual([200, 412]);
      // The loser is told the version the winner made, never the one it already held.
      const version = Number(JSON.parse(headers.etag));
      const loser = answers.find((res) => res.status === 412);
      expect(loser?.body.message).toContain(`is at version ${version + 1}, not ${version}`);
    });

    it('refuses null for a required field and unknown fields with 400', async () => {
      for (const body of [
        { name: null },
        { mfaCapability: 'ready' },
        { connector: { type: 'webhook', url: 'http://169.254.169.254/' } },
      ]) {
        const { headers } = await sut.http
          .get('/api/v1/services/svc-edit')
          .set(...planner)
          .expect(200);
        await sut.http
          .patch('/api/v1/services/svc-edit')
          .set(...planner)
          .set('if-match', headers.etag)
          .send(body)
          .expect(400);
      }
    });

    it('answers 404 for an unknown service', async () => {
      await sut.http
        .patch('/api/v1/services/no-such')
        .set(...planner)
        .set('if-match', '"1"')
        .send({ name: 'x' })
        .expect(404);
    });
  });

  describe('capability changes', () => {
    it('appends dated facts, never overwriting, and moves the current capability and version', async () => {
      await create(aService('svc-cap', { mfaCapability: 'not-ready' })).expect(201);
      const ready = await sut.http
        .post('/api/v1/services/svc-cap/capability-changes')
        .set(...planner)
        .send({ mfaCapability: 'ready' })
        .expect(201);
      expect(ready.body).toMatchObject({ mfaCapability: 'ready', version: 2 });
      expect(ready.body.readySince).toBe(ready.body.capabilityHistory[1].effectiveAt);
      expect(ready.headers.etag).toBe('"2"');
      const future = await sut.http
        .post('/api/v1/services/svc-cap/capability-changes')
        .set(...planner)
        .send({ mfaCapability: 'not-ready', effectiveAt: '2999-01-01' })
        .expect(201);
      // A fact dated in the future is kept but does not apply yet; a date is read in STEPWISE_TIMEZONE.
      expect(future.body).toMatchObject({ mfaCapability: 'ready', version: 3 });
      expect(future.body.capabilityHistory.map((f: { mfaCapability: string }) => f.mfaCapability)).toEqual([
        'not-ready',
        'ready',
        'not-ready',
      ]);
      expect(future.body.capabilityHistory[2].effectiveAt).toBe('2998-12-31T15:00:00.000Z');
      expect(await countRows(sut, 'capability_changes', 'service_id = $1', ['svc-cap'])).toBe(3);
      expect(await auditCount(sut, 'service.capability-changed')).toBeGreaterThanOrEqual(2);
    });

    it('defaults effectiveAt to now', async () => {
      await create(aService('svc-now', { mfaCapability: 'not-ready' })).expect(201);
      const res = await sut.http
        .post('/api/v1/services/svc-now/capability-changes')
        .set(...planner)
        .send({ mfaCapability: 'ready' })
        .expect(201);
      const last = res.body.capabilityHistory.at(-1);
      expect(last.effectiveAt).toBe(last.recordedAt);
      expect(res.body.mfaCapability).toBe('ready');
    });

    it.each([
      ['effectiveAt', { mfaCapability: 'ready', effectiveAt: '2024-05-01T00:00' }],
      ['mfaCapability', { mfaCapability: 'sometimes' }],
      ['extra', { mfaCapability: 'ready', extra: true }],
    ])('refuses with 400 naming %s, storing nothing', async (field, body) => {
      await create(aService(`svc-bad-${field.toLowerCase()}`)).expect(201);
      const before = await footprint(sut);
      const res = await sut.http
        .post(`/api/v1/services/svc-bad-${field.toLowerCase()}/capability-changes`)
        .set(...planner)
        .send(body)
        .expect(400);
      expect(res.body.message).toContain(field);
      expect(await footprint(sut)).toEqual(before);
    });

    it('answers 404 for an unknown service', async () => {
      await sut.http
        .post('/api/v1/services/no-such/capability-changes')
        .set(...planner)
        .send({ mfaCapability: 'ready' })
        .expect(404);
    });
  });
});
