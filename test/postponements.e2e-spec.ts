import { auditCount, countRows } from './planning-support';
import { seedDemo } from './support/seed';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

// The story of issue 21: step 4 (UTAS and UTOL) resumes on 2027-04-01 in Tokyo, and may be
// postponed per service up to 2027-09-30. UTAS's owner asks for 2027-07-01; a planner approves.
const TOKYO_2027_04_01 = '2027-03-31T15:00:00.000Z';
const TOKYO_2027_07_01 = '2027-06-30T15:00:00.000Z';
const POLICY = 'mfa-mandatory';

type Bearer = [string, string];
interface Requirement {
  level: string;
  population: string;
  source: { kind: string; phase?: string; postponement?: string; until?: string };
}

describe('postponement requests', () => {
  let sut: TestApi;
  const admin = bearer(ADMIN_TOKEN);
  let chika: Bearer;
  let vpnOwner: Bearer;
  let aiko: Bearer;
  let ben: Bearer;
  let services: string[];

  const requirements = async (service: string, query: Record<string, string>) =>
    (
      await sut.http
        .get(`/api/v1/services/${service}/requirements`)
        .query(query)
        .set(...admin)
        .expect(200)
    ).body as { requirements: Requirement[]; upcoming: Record<string, unknown>[] };

  const everyService = async (query: Record<string, string>) => {
    const answers: Record<string, unknown> = {};
    for (const id of services) {
      answers[id] = (await requirements(id, query)).requirements;
    }
    return answers;
  };

  const ask = (as: Bearer, service: string, body: Record<string, unknown>) =>
    sut.http
      .post(`/api/v1/services/${service}/postponements`)
      .set(...as)
      .send({
        policy: POLICY,
        phase: 'step-4',
        reason: 'Exam period: the LMS vendor ships MFA in June',
        ...body,
      });

  const decide = (
    as: Bearer,
    id: string,
    decision: 'approve' | 'reject',
    reason = 'Checked with the CIO office',
  ) =>
    sut.http
      .post(`/api/v1/postponements/${id}/${decision}`)
      .set(...as)
      .send({ reason });

  const tables = async () => ({
    postponements: await countRows(sut, 'postponements'),
    audit: await auditCount(sut),
  });

  beforeAll(async () => {
    sut = await startTestApi();
    seedDemo(sut.db.url);
    chika = bearer(await sut.token('service-owner', ['utas']));
    vpnOwner = bearer(await sut.token('service-owner', ['utokyo-vpn']));
    aiko = bearer(await sut.token('planner'));
    ben = bearer(await sut.token('planner'));
    const current = (
      await sut.http
        .get(`/api/v1/policies/${POLICY}/revisions/2`)
        .set(...admin)
        .expect(200)
    ).body as { mandatory: unknown; standingRules: unknown; phases: Record<string, unknown>[] };
    const phases = current.phases.map((phase) => {
      if (phase.key === 'step-2') {
        // In force since 2024-03-01: a cap cannot bring it back for anyone.
        return { ...phase, postponeUntilMax: '2027-12-31' };
      }
      if (phase.key !== 'step-4') {
        return phase;
      }
      const { stateReason: _reason, ...rest } = phase;
      return { ...rest, state: 'active', effective: { at: '2027-04-01' }, postponeUntilMax: '2027-09-30' };
    });
    const draft = await sut.http
      .post(`/api/v1/policies/${POLICY}/revisions`)
      .set(...aiko)
      .send({
        summary: 'Resume step 4 on 2027-04-01',
        reason: 'UTAS and UTOL are ready',
        mandatory: current.mandatory,
        standingRules: current.standingRules,
        phases,
      })
      .expect(201);
    const n = draft.body.number as number;
    const base = `/api/v1/policies/${POLICY}/revisions/${n}`;
    await sut.http
      .post(`${base}/submit`)
      .set(...aiko)
      .send({})
      .expect(200);
    await sut.http
      .post(`${base}/approve`)
      .set(...ben)
      .send({ reason: 'ok' })
      .expect(200);
    await sut.http
      .post(`${base}/publish`)
      .set(...aiko)
      .send({})
      .expect(200);
    const list = await sut.http
      .get('/api/v1/services')
      .set(...admin)
      .expect(200);
    services = (list.body.items as { id: string }[]).map((item) => item.id);
  });

  afterAll(async () => {
    await sut.close();
  });

  it('refuses a date beyond the cap (400 naming until) and changes nothing', async () => {
    const before = await tables();
    const res = await ask(chika, 'utas', { until: '2027-10-01' }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'until' }] });
    expect(res.body.message).toContain('cap');
    expect(await tables()).toEqual(before);
  });

  it.each([
    ['until', { until: '2027-07-01T09:00' }],
    ['until', { until: 'July' }],
    ['reason', { until: '2027-07-01', reason: 'a\u0000b' }],
    ['reason', { until: '2027-07-01', reason: '   ' }],
    ['policy', { until: '2027-07-01', policy: 'no-such-policy' }],
  ])('refuses bad input naming %s (400), storing nothing', async (field, body) => {
    const before = await tables();
    const res = await ask(chika, 'utas', body).expect(400);
    expect(res.body.message).toContain(field);
    expect(await tables()).toEqual(before);
  });

  it('refuses a phase without a cap (400 naming phase)', async () => {
    const res = await ask(chika, 'utas', { phase: 'step-1', until: '2027-07-01' }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'phase' }] });
  });

  it('refuses a phase that already took effect for the service (409), and changes nothing', async () => {
    const wifiOwner = bearer(await sut.token('service-owner', ['utokyo-wifi-account-menu']));
    const before = await tables();
    const res = await ask(wifiOwner, 'utokyo-wifi-account-menu', {
      phase: 'step-2',
      until: '2027-06-01',
    }).expect(409);
    expect(res.body).toMatchObject({ code: 'WRONG_STATE' });
    expect(res.body.message).toContain('took effect');
    expect(await tables()).toEqual(before);
  });

  it('refuses an owner asking for a service they do not own (403), and audits the refusal', async () => {
    const denied = await auditCount(sut, 'auth.denied');
    await ask(vpnOwner, 'utas', { until: '2027-07-01' }).expect(403);
    expect(await auditCount(sut, 'auth.denied')).toBe(denied + 1);
    expect(await countRows(sut, 'postponements')).toBe(0);
  });

  let requestId: string;
  let before: Record<string, unknown>;

  it("records UTAS's owner's request once, even when retried with its Idempotency-Key", async () => {
    before = await everyService({ at: '2027-05-01' });
    const first = await ask(chika, 'utas', { until: '2027-07-01' })
      .set('Idempotency-Key', 'ask-utas-1')
      .expect(201);
    expect(first.body).toMatchObject({
      service: 'utas',
      policy: POLICY,
      phase: 'step-4',
      until: TOKYO_2027_07_01,
      untilAsWritten: '2027-07-01',
      status: 'requested',
      decidedBy: null,
    });
    requestId = first.body.id as string;
    const replay = await ask(chika, 'utas', { until: '2027-07-01' })
      .set('Idempotency-Key', 'ask-utas-1')
      .expect(201);
    expect(replay.body).toEqual(first.body);
    expect(await countRows(sut, 'postponements')).toBe(1);
    expect(await auditCount(sut, 'postponement.requested')).toBe(1);
    // Asked, not approved: nothing moves yet.
    expect(await everyService({ at: '2027-05-01' })).toEqual(before);
  });

  it('refuses a second open request for the same phase and service (409)', async () => {
    const res = await ask(chika, 'utas', { until: '2027-08-01' }).expect(409);
    expect(res.body.message).toContain(requestId);
  });

  it('lets no one approve their own request (403 four-eyes), and not an owner at all', async () => {
    await decide(chika, requestId, 'approve').expect(403);
    const own = await ask(aiko, 'utol', { until: '2027-06-01' }).expect(201);
    const refused = await decide(aiko, own.body.id as string, 'approve').expect(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN' });
    expect(refused.body.message).toContain('four-eyes');
    const rejected = await decide(ben, own.body.id as string, 'reject', 'UTOL has no reason to wait').expect(
      200,
    );
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionReason: 'UTOL has no reason to wait' });
  });

  it('stores one of two requests racing for the same phase and service, and refuses the other (409)', async () => {
    const statuses = await Promise.all([
      ask(aiko, 'utol', { until: '2027-05-01' }).then((res) => res.status),
      ask(aiko, 'utol', { until: '2027-05-02' }).then((res) => res.status),
    ]);
    expect(statuses.sort()).toEqual([201, 409]);
    expect(await countRows(sut, 'postponements', "service_id = 'utol' AND status = 'requested'")).toBe(1);
  });

  it('approves: UTAS follows the new date, no other service changes', async () => {
    const approved = await decide(ben, requestId, 'approve').expect(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decisionReason: 'Checked with the CIO office',
    });
    expect(await auditCount(sut, 'postponement.approved')).toBe(1);

    const utas = await requirements('utas', { at: '2027-05-01', population: 'students' });
    expect(utas.requirements).toEqual([
      expect.objectContaining({
        level: 'expected',
        since: TOKYO_2027_04_01,
        source: { kind: 'postponement', postponement: requestId, phase: 'step-4', until: TOKYO_2027_07_01 },
      }),
    ]);
    expect(utas.upcoming).toContainEqual(
      expect.objectContaining({ level: 'enforced', at: TOKYO_2027_07_01, phase: 'step-4' }),
    );
    const after = await everyService({ at: '2027-05-01' });
    expect({ ...after, utas: undefined }).toEqual({ ...before, utas: undefined });
    expect(after.utas).not.toEqual(before.utas);
  });

  it('lapses at its date, and answers as the plan stood before the approval for an earlier asOf', async () => {
    const lapsed = await requirements('utas', { at: '2027-07-01', population: 'students' });
    expect(lapsed.requirements[0]).toMatchObject({
      level: 'enforced',
      source: { kind: 'phase', phase: 'step-4' },
    });
    const approvedAt = (
      await sut.http
        .get(`/api/v1/postponements/${requestId}`)
        .set(...chika)
        .expect(200)
    ).body.decidedAt as string;
    const earlier = new Date(Date.parse(approvedAt) - 1).toISOString();
    const known = await requirements('utas', { at: '2027-05-01', asOf: earlier, population: 'students' });
    expect(known.requirements[0]).toMatchObject({
      level: 'enforced',
      source: { kind: 'phase', phase: 'step-4' },
    });
  });

  it("moves UTAS's transition in the schedule, and only UTAS's", async () => {
    const schedule = await sut.http
      .get('/api/v1/schedule')
      .query({ from: '2027-03-01', to: '2027-08-01' })
      .set(...admin)
      .expect(200);
    const transitions = schedule.body.items as { service: string; at: string; to: string }[];
    const utas = transitions.filter((t) => t.service === 'utas');
    expect(utas.map((t) => t.at)).toEqual([TOKYO_2027_07_01, TOKYO_2027_07_01]);
    expect(transitions.filter((t) => t.service === 'utol').map((t) => t.at)).toEqual([
      TOKYO_2027_04_01,
      TOKYO_2027_04_01,
    ]);
  });

  it('refuses deciding twice (409), and lists requests newest first, owners their own only', async () => {
    await decide(aiko, requestId, 'reject').expect(409);
    const all = await sut.http
      .get('/api/v1/postponements')
      .query({ limit: '2' })
      .set(...aiko)
      .expect(200);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const next = await sut.http
      .get('/api/v1/postponements')
      .query({ limit: '2', cursor: all.body.nextCursor as string })
      .set(...aiko)
      .expect(200);
    expect(next.body.nextCursor).toBeNull();
    const listed = [...all.body.items, ...next.body.items] as { service: string; status: string }[];
    expect(listed.map((item) => `${item.service}:${item.status}`)).toEqual([
      'utol:requested',
      'utol:rejected',
      'utas:approved',
    ]);
    const open = await sut.http
      .get('/api/v1/postponements')
      .query({ status: 'requested' })
      .set(...aiko)
      .expect(200);
    expect(open.body.items.map((item: { service: string }) => item.service)).toEqual(['utol']);
    const mine = await sut.http
      .get('/api/v1/postponements')
      .set(...chika)
      .expect(200);
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([requestId]);
    const none = await sut.http
      .get('/api/v1/postponements')
      .set(...vpnOwner)
      .expect(200);
    expect(none.body.items).toEqual([]);
    await sut.http
      .get('/api/v1/postponements')
      .query({ service: 'utas' })
      .set(...vpnOwner)
      .expect(403);
  });

  it('lets only who asked withdraw an open request; the approved one still holds', async () => {
    const again = await ask(chika, 'utas', { until: '2027-08-01' }).expect(201);
    const id = again.body.id as string;
    const withdraw = (as: Bearer) =>
      sut.http
        .post(`/api/v1/postponements/${id}/withdraw`)
        .set(...as)
        .send({ reason: 'The vendor kept its date after all' });
    await withdraw(vpnOwner).expect(403);
    await withdraw(ben).expect(403);
    const withdrawn = await withdraw(chika).expect(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', decidedBy: withdrawn.body.requestedBy });
    await withdraw(chika).expect(409);
    expect(await auditCount(sut, 'postponement.withdrawn')).toBe(1);
    const utas = await requirements('utas', { at: '2027-05-01', population: 'students' });
    expect(utas.requirements[0].source).toMatchObject({ kind: 'postponement', postponement: requestId });
  });
});
