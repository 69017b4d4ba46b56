import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Clock, FixedClock } from '@stepwise/common/clock';
import { systemActor } from '@stepwise/common/principal';
import { EnforcementModule } from '@stepwise/enforcement/enforcement.module';
import { GateEvaluator } from '@stepwise/enforcement/gate-evaluator';
import { AdoptionImportService } from '@stepwise/planning/adoption-import.service';
import { PlanDocumentImporter } from '@stepwise/planning/plan-document-importer.service';
import { ServiceDirectory } from '@stepwise/planning/service-directory.service';
import { admin, countRows } from './planning-support';
import { bearer } from './support/test-api';
import { startTestApi, TestApi } from './support/test-api';

// The scenario on the real database, with the clock moved by hand: students at 94 % when
// step 3's date comes → held; a 96 % snapshot → released at the next evaluation; a 50-hour-old
// snapshot → inconclusive. The API answers for an explicit at/asOf, so its own clock does not matter.

const STEP_3_AT = '2024-05-01T00:00:00.000Z'; // 09:00 in Tokyo: the daily evaluation time too
const plan = {
  policy: { id: 'gated', title: 'Gated MFA', timezone: 'Asia/Tokyo', populations: ['students'] },
  revisions: [
    {
      summary: 'Step 3 waits for students',
      reason: 'Adoption decides the date',
      author: 'cio-office',
      publishAt: '2024-01-01T00:00:00Z',
      phases: [
        {
          key: 'step-3',
          title: 'UTAS requires MFA',
          effective: { at: STEP_3_AT },
          scope: { services: ['utas'] },
          enforcement: 'enforce',
          gates: [{ population: 'students', metric: 'registered', atLeast: 0.95 }],
        },
      ],
      standingRules: [],
    },
  ],
};

const csv = (asOf: string, registered: number) =>
  `population,asOf,eligible,registered\nstudents,${asOf},1000,${registered}\n`;

describe('gates held and released by the worker evaluation', () => {
  let sut: TestApi;
  let context: INestApplicationContext;
  const clock = new FixedClock(DateTime.fromISO('2024-01-02T00:00:00Z', { zone: 'utc' }));
  const at = (iso: string) => clock.set(DateTime.fromISO(iso, { zone: 'utc' }));
  const actor = { actor: systemActor('cli'), requestId: null };

  beforeAll(async () => {
    sut = await startTestApi();
    const { CliModule } = await import('../apps/cli/src/cli.module');
    const module = await Test.createTestingModule({ imports: [CliModule, EnforcementModule] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    context = await module.init();
    await context.get(ServiceDirectory).create(actor, {
      id: 'utas',
      name: 'UTAS',
      mfaCapability: 'not-ready',
      connector: { type: 'pull' },
    });
    await context.get(PlanDocumentImporter).import(actor, plan);
  });

  afterAll(async () => {
    await context?.close();
    await sut.close();
  });

  const requirement = async (atIso: string, asOfIso: string) =>
    (
      await sut.http
        .get(`/api/v1/services/utas/requirements?at=${atIso}&asOf=${asOfIso}&population=students`)
        .set(...admin)
        .expect(200)
    ).body.requirements.find((r: { policy: string }) => r.policy === 'gated');

  /** The API's plan read model catches up with the worker's writes within its version check (2 s). */
  const requirementOnce = async (
    atIso: string,
    asOfIso: string,
    until: (r: { level: string }) => boolean,
  ) => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const found = await requirement(atIso, asOfIso);
      if (until(found)) {
        return found;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return requirement(atIso, asOfIso);
  };

  it('holds step 3 at 94 %, audited, and says so with the value', async () => {
    at('2024-04-30T12:00:00Z');
    await context
      .get(AdoptionImportService)
      .import(actor, 'generic', { kind: 'csv', content: csv('2024-04-30T12:00:00Z', 940) });
    at('2024-05-01T00:00:20Z');
    expect(await context.get(GateEvaluator).evaluateDue()).toBe(1);
    expect(await context.get(GateEvaluator).evaluateDue()).toBe(0);
    expect(await countRows(sut, 'audit_events', "action = 'gate.evaluated'")).toBe(1);
    const held = await requirementOnce('2024-05-01T06:00:00Z', '2024-05-01T06:00:00Z', (r) => 'held' in r);
    expect(held.level).not.toBe('enforced');
    expect(held.held[0]).toMatchObject({
      phase: 'step-3',
      outcome: 'fail',
      checks: [expect.objectContaining({ value: 0.94, atLeast: 0.95 })],
    });
  });

  it('releases it at the next daily evaluation after a 96 % snapshot; the past answer stays held', async () => {
    at('2024-05-01T12:00:00Z');
    await context
      .get(AdoptionImportService)
      .import(actor, 'generic', { kind: 'csv', content: csv('2024-05-01T12:00:00Z', 960) });
    expect(await context.get(GateEvaluator).evaluateDue()).toBe(0); // not due before the daily time
    at('2024-05-02T00:00:05Z');
    expect(await context.get(GateEvaluator).evaluateDue()).toBe(1);
    const released = await requirementOnce(
      '2024-05-02T06:00:00Z',
      '2024-05-02T06:00:00Z',
      (r) => r.level === 'enforced',
    );
    expect(released).toMatchObject({ level: 'enforced', since: '2024-05-02T00:00:00.000Z' });
    expect(released.held).toBeUndefined();
    const asKnownOnMay1 = await requirement('2024-05-02T06:00:00Z', '2024-05-01T18:00:00Z');
    expect(asKnownOnMay1.level).not.toBe('enforced');
    expect(asKnownOnMay1.held[0].outcome).toBe('fail');
    at('2024-05-03T00:00:05Z');
    expect(await context.get(GateEvaluator).evaluateDue()).toBe(0); // released: no more evaluations
  });

  it('refuses a gate on an unknown population or a tentative phase (400 naming the field), storing nothing', async () => {
    const before = await countRows(sut, 'revisions');
    const phase = plan.revisions[0].phases[0];
    const bad = (gates: unknown[], effective: unknown = phase.effective) => ({
      ...plan,
      policy: { ...plan.policy, id: 'gated-bad' },
      revisions: [
        {
          ...plan.revisions[0],
          phases: [{ ...phase, effective, gates }],
        },
      ],
    });
    const unknown = await sut.http
      .post('/api/v1/plans/import')
      .set(...admin)
      .send(bad([{ population: 'alumni', metric: 'registered', atLeast: 0.9 }]))
      .expect(400);
    expect(unknown.body.fields[0].field).toBe('revisions[0].phases[0].gates[0].population');
    const tentative = await sut.http
      .post('/api/v1/plans/import')
      .set(...admin)
      .send(bad(phase.gates, { tentative: '2024-05' }))
      .expect(400);
    expect(tentative.body.fields[0].field).toBe('revisions[0].phases[0].gates');
    expect(await countRows(sut, 'revisions')).toBe(before);
  });

  it('lets a held phase take effect by an override A requests and B approves; A alone cannot', async () => {
    at('2024-01-02T00:00:00Z');
    await context
      .get(PlanDocumentImporter)
      .import(actor, { ...plan, policy: { ...plan.policy, id: 'gated-override' } });
    const a = bearer(await sut.token('planner'));
    const b = bearer(await sut.token('planner'));
    const now = async () =>
      (
        await sut.http
          .get('/api/v1/services/utas/requirements?population=students')
          .set(...admin)
          .expect(200)
      ).body.requirements.find((r: { policy: string }) => r.policy === 'gated-override');
    expect((await now()).held[0].phase).toBe('step-3');
    const overrides = '/api/v1/policies/gated-override/phases/step-3/overrides';
    const bad = await sut.http
      .post(overrides)
      .set(...a)
      .send({ action: 'skip', expiresAt: 'soon' })
      .expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['action', 'reason', 'expiresAt']);
    const requested = await sut.http
      .post(overrides)
      .set(...a)
      .send({ action: 'release', reason: 'Students use loaned devices', expiresAt: '2099-01-01' })
      .expect(201);
    expect(requested.body.status).toBe('requested');
    await sut.http
      .post(`/api/v1/gate-overrides/${requested.body.id}/approve`)
      .set(...a)
      .expect(403);
    expect((await now()).level).not.toBe('enforced');
    const approved = await sut.http
      .post(`/api/v1/gate-overrides/${requested.body.id}/approve`)
      .set(...b)
      .expect(201);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: expect.any(String) });
    await sut.http
      .post(`/api/v1/gate-overrides/${requested.body.id}/approve`)
      .set(...b)
      .expect(409);
    expect(await now()).toMatchObject({ level: 'enforced', source: { kind: 'phase', phase: 'step-3' } });
    const [event] = await sut.db.query<{
      after: { requestedById: string; approvedById: string; gates: unknown };
    }>("SELECT after FROM audit_events WHERE action = 'gate.override-approved'");
    expect(event.after.requestedById).not.toBe(event.after.approvedById);
    expect(event.after).toHaveProperty('gates');
  });
});
