import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { systemActor } from '@stepwise/common/principal';
import { PlanSnapshot } from '@stepwise/plan-snapshot/plan-snapshot';
import { RevisionPublisher } from '@stepwise/planning/revision-publisher.service';
import { ServiceDirectory } from '@stepwise/planning/service-directory.service';
import { admin, aPhase, aRevision, aService, givenDirectoryAndPolicy } from './planning-support';
import { revisionClient } from './revision-client';
import { bearer, startTestApi, TestApi } from './support/test-api';

/**
 * The bound within which another instance answers from a committed change: the plan-changed
 * notice arrives within milliseconds, and should it be lost the snapshot's periodic version check
 * (every 2 s) marks it stale; either way the next read then reloads.
 */
const OTHER_INSTANCE_BOUND_MS = 3000;

/** Polls `read` until it answers `status`, returning how long that took; fails past `boundMs`. */
async function answeredWithin(read: () => Promise<{ status: number }>, status: number, boundMs: number) {
  const started = Date.now();
  let last = 0;
  while (Date.now() - started <= boundMs) {
    last = (await read()).status;
    if (last === status) {
      return Date.now() - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`still ${last}, not ${status}, after ${boundMs} ms`);
}

describe('read-your-writes on the plan snapshot', () => {
  let sut: TestApi;
  let other: NestFastifyApplication;
  let otherHttp: TestAgent;
  let rc: ReturnType<typeof revisionClient>;
  let alice: [string, string];

  beforeAll(async () => {
    sut = await startTestApi();
    // A second instance on the same database and Redis prefix (the environment is still set).
    const { createApiApp } = await import('../apps/api/src/api-app.factory');
    other = await createApiApp();
    await other.init();
    await other.getHttpAdapter().getInstance().ready();
    otherHttp = request(other.getHttpServer());
    alice = bearer(await sut.token('planner'));
    const bob = bearer(await sut.token('planner'));
    rc = revisionClient(sut, { policy: await givenDirectoryAndPolicy(sut), author: alice, approver: bob });
  });

  afterAll(async () => {
    await other?.close();
    await sut?.close();
  });

  const requirements = (http: TestAgent, service: string) =>
    http.get(`/api/v1/services/${service}/requirements`).set(...admin);

  it("answers a new service's requirements on the writer's instance at once, every time", async () => {
    // A loaded snapshot first, so that only the write can make it stale.
    await requirements(sut.http, 'svc-vpn').expect(200);
    for (let i = 0; i < 20; i += 1) {
      const id = `svc-new-${i}`;
      await sut.http
        .post('/api/v1/services')
        .set(...admin)
        .send(aService(id))
        .expect(201);
      await requirements(sut.http, id).expect(200);
    }
  });

  it('has its own snapshot stale when a write returns, before any notice comes back', async () => {
    // Called below HTTP: once the 201 has gone out, the notice has had a round trip to arrive.
    const snapshot = sut.app.get(PlanSnapshot);
    const directory = sut.app.get(ServiceDirectory);
    const context = { actor: systemActor('api'), requestId: null };
    const n = await rc.approved();
    const writes: [string, () => Promise<unknown>][] = [
      ['a new service', () => directory.create(context, aService('svc-direct'))],
      [
        'a capability change',
        () => directory.changeCapability(context, 'svc-direct', { mfaCapability: 'not-ready' }),
      ],
      [
        'a publication',
        () => sut.app.get(RevisionPublisher).publish(context, { policyId: 'mfa-test', number: n }, {}),
      ],
    ];
    for (const [what, write] of writes) {
      await snapshot.current();
      await write();
      const held = snapshot.peek() === null ? 'stale' : 'still answering from before it';
      expect([what, held]).toEqual([what, 'stale']);
    }
  });

  it('answers from a capability change and a publication on the same instance at once', async () => {
    await sut.http
      .post('/api/v1/services')
      .set(...admin)
      .send(aService('svc-late', { mfaCapability: 'not-ready' }))
      .expect(201);
    const n = await rc.approved(
      aRevision({
        mandatory: undefined,
        phases: [aPhase({ scope: { services: ['svc-vpn'] } })],
        standingRules: [{ on: 'mfa-ready', since: '2024-01-01' }],
      }),
    );
    await requirements(sut.http, 'svc-vpn').expect(200);
    await rc.act(n, 'publish', alice).expect(200);
    const afterPublish = await requirements(sut.http, 'svc-vpn').expect(200);
    expect(afterPublish.body.requirements).toContainEqual(
      expect.objectContaining({ revision: n, level: 'enforced', source: { kind: 'phase', phase: 'step-1' } }),
    );

    const before = await requirements(sut.http, 'svc-late').expect(200);
    expect(before.body.requirements).toContainEqual(expect.objectContaining({ level: 'none' }));
    await sut.http
      .post('/api/v1/services/svc-late/capability-changes')
      .set(...admin)
      .send({ mfaCapability: 'ready' })
      .expect(201);
    const after = await requirements(sut.http, 'svc-late').expect(200);
    expect(after.body.requirements).toContainEqual(
      expect.objectContaining({ level: 'enforced', source: { kind: 'rule', rule: 'mfa-ready' } }),
    );
  });

  it(`answers a new service on another instance within ${OTHER_INSTANCE_BOUND_MS} ms`, async () => {
    await requirements(otherHttp, 'svc-vpn').expect(200);
    await sut.http
      .post('/api/v1/services')
      .set(...admin)
      .send(aService('svc-elsewhere'))
      .expect(201);
    await answeredWithin(() => requirements(otherHttp, 'svc-elsewhere'), 200, OTHER_INSTANCE_BOUND_MS);
  });
});
