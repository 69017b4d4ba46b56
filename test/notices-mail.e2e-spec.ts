import { DateTime } from 'luxon';
import { FixedClock } from '@stepwise/common/clock';
import { admin, aPhase, aRevision, aService } from './planning-support';
import { noticePipeline, TestSmtpServer } from './notice-mail-support';
import { bearer, startTestApi, TestApi } from './support/test-api';

// Issue 21's notices, end to end under a fixed clock: two services under a phase each on
// 2027-04-01 in Asia/Tokyo, leads 30/7/1 at 09:00. UTAS's date stays; UTOL's moves to 05-01 on
// 03-10, and SMTP refuses connections over UTOL's next lead.

const TOKYO = 'Asia/Tokyo';
const jst = (local: string) => DateTime.fromISO(local, { zone: TOKYO });
const asJst = (iso: string) => DateTime.fromISO(iso).setZone(TOKYO).toFormat("MM-dd'T'HH:mm");

describe('notices by mail', () => {
  let sut: TestApi;
  let planner: [string, string];
  let owner: [string, string];
  const clock = new FixedClock(jst('2027-01-10T12:00'));
  const smtp = new TestSmtpServer(() => clock.now().toUTC().toISO() ?? '');
  let pipeline: ReturnType<typeof noticePipeline>;

  const phase = (key: string, service: string, at: string) =>
    aPhase({ key, title: `MFA on ${service}`, effective: { at }, scope: { services: [service] } });
  const publish = async (phases: Record<string, unknown>[], summary: string) => {
    const body = aRevision({ summary, phases, standingRules: [], mandatory: undefined });
    const draft = await sut.http
      .post('/api/v1/policies/mfa/revisions')
      .set(...planner)
      .send(body)
      .expect(201);
    await sut.http
      .post(`/api/v1/policies/mfa/revisions/${draft.body.number}/publish`)
      .set(...planner)
      .expect(200);
  };
  const mailsTo = (address: string) =>
    smtp.received.filter(
      (received) => received.mail.to !== undefined && JSON.stringify(received.mail.to).includes(address),
    );
  /** Runs the worker's pass every `hours` hours from the clock's instant up to `until` (JST). */
  const runUntil = async (until: string, hours = 3) => {
    const end = jst(until);
    while (clock.now() < end) {
      clock.set(clock.now().plus({ hours }));
      await pipeline.tick();
    }
  };

  beforeAll(async () => {
    sut = await startTestApi();
    planner = bearer(await sut.token('planner'));
    await smtp.start();
    pipeline = noticePipeline(sut, clock, `smtp://127.0.0.1:${smtp.port}`, 'https://stepwise.example.ac.jp');
    for (const id of ['utas', 'utol']) {
      await sut.http
        .post('/api/v1/services')
        .set(...admin)
        .send(aService(id, { name: id.toUpperCase() }))
        .expect(201);
    }
    owner = bearer(await sut.token('service-owner', ['utas']));
    await sut.http
      .post('/api/v1/policies')
      .set(...admin)
      .send({ id: 'mfa', title: '多要素認証の必須化', timezone: TOKYO, requireApproval: false })
      .expect(201);
    await publish(
      [phase('utas-step', 'utas', '2027-04-01'), phase('utol-step', 'utol', '2027-04-01')],
      'Plan',
    );
    await sut.http
      .post('/api/v1/services/utas/contacts')
      .set(...owner)
      .send({ name: '山田 花子', email: 'Hanako@Example.ac.jp', language: 'ja' })
      .expect(201);
    await sut.http
      .post('/api/v1/services/utol/contacts')
      .set(...planner)
      .send({ name: 'Ben Smith', email: 'ben@example.ac.jp', language: 'en' })
      .expect(201);
  });

  afterAll(async () => {
    pipeline?.close();
    await smtp.stop();
    await sut.close();
  });

  it('refuses a bad contact naming the field, and an owner on a service not theirs', async () => {
    const bad = await sut.http
      .post('/api/v1/services/utas/contacts')
      .set(...planner)
      .send({ name: 'x', email: 'not-an-address', language: 'fr' })
      .expect(400);
    expect(bad.body.message).toEqual(expect.stringContaining('email'));
    expect(bad.body.message).toEqual(expect.stringContaining('language'));
    await sut.http
      .post('/api/v1/services/utol/contacts')
      .set(...owner)
      .send({ name: 'x', email: 'x@example.ac.jp', language: 'en' })
      .expect(403);
    await sut.http
      .post('/api/v1/services/utas/contacts')
      .set(...planner)
      .send({ name: 'again', email: 'hanako@example.ac.jp', language: 'en' })
      .expect(409);
  });

  it('sends exactly one mail at 09:00 JST on 03-02, 03-25 and 03-31, in Japanese, with the .ics and the link', async () => {
    await runUntil('2027-03-10T12:00');
    // UTOL's date moves to 05-01 on 03-10 at noon: its pending notices are superseded.
    await publish(
      [phase('utas-step', 'utas', '2027-04-01'), phase('utol-step', 'utol', '2027-05-01')],
      'Move UTOL',
    );
    await pipeline.tick();
    await runUntil('2027-03-31T12:00');
    await smtp.stop();
    await runUntil('2027-04-01T09:00');
    const failedAt = clock.now();
    await smtp.start(smtp.port);
    await runUntil('2027-04-02T00:00');

    const hanako = mailsTo('hanako@example.ac.jp');
    expect(hanako.map((received) => asJst(received.at))).toEqual([
      '03-02T09:00',
      '03-25T09:00',
      '03-31T09:00',
    ]);
    const first = hanako[0].mail;
    expect(first.subject).toBe(
      '[Stepwise] UTAS: 2027年4月1日 00:00(Asia/Tokyo) から「強制(多要素認証を使わない利用者は利用できません)」になります(30日前のお知らせ)',
    );
    expect(first.text).toContain('山田 花子 様');
    expect(first.text).toContain('https://stepwise.example.ac.jp/services/utas');
    expect(first.messageId).toMatch(/^<notice-[0-9]+\.stepwise@example\.ac\.jp>$/);
    const ics = first.attachments.find((attachment) => attachment.contentType.startsWith('text/calendar'));
    expect(ics?.content.toString('utf8')).toContain('DTSTART:20270331T150000Z');

    const ben = mailsTo('ben@example.ac.jp');
    // 03-02: the 30-day notice; 03-10 12:00: one "updated" at once; 04-01 09:00 refused, then sent.
    expect(ben.map((received) => asJst(received.at))).toEqual(['03-02T09:00', '03-10T12:00', '04-01T12:00']);
    expect(ben[1].mail.subject).toContain('UPDATED');
    expect(ben[1].mail.text).toContain('2027-05-01 00:00 (Asia/Tokyo)');
    expect(ben[1].mail.text).toContain('Before: enforced');
    expect(ben[2].mail.subject).toContain('(30-day notice)');
    expect(failedAt.toFormat('MM-dd HH:mm')).toBe('04-01 09:00');
    const messageIds = smtp.received.map((received) => received.mail.messageId);
    expect(new Set(messageIds).size).toBe(messageIds.length);
  });

  it('audits every send, the failure and the supersession', async () => {
    const count = async (action: string) =>
      Number(
        (
          await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE action = $1', [
            action,
          ])
        )[0].n,
      );
    expect(await count('notice.sent')).toBe(smtp.received.length);
    expect(await count('notice.send-failed')).toBeGreaterThanOrEqual(1);
    expect(await count('notice.superseded')).toBe(1);
  });

  it('lists notices with filters and pages; an owner sees only their own', async () => {
    const superseded = await sut.http
      .get('/api/v1/notices')
      .query({ service: 'utol', status: 'superseded' })
      .set(...planner)
      .expect(200);
    expect(superseded.body.items.map((notice: { leadDays: number }) => notice.leadDays).sort()).toEqual([
      1, 30, 7,
    ]);
    const updated = await sut.http
      .get('/api/v1/notices')
      .query({ kind: 'updated' })
      .set(...planner)
      .expect(200);
    expect(updated.body.items).toEqual([
      expect.objectContaining({
        service: 'utol',
        status: 'sent',
        change: expect.objectContaining({
          previous: expect.objectContaining({ at: '2027-03-31T15:00:00.000Z' }),
        }),
      }),
    ]);
    const page = await sut.http
      .get('/api/v1/notices')
      .query({ limit: 2 })
      .set(...planner)
      .expect(200);
    expect(page.body.items).toHaveLength(2);
    const next = await sut.http
      .get('/api/v1/notices')
      .query({ limit: 2, cursor: page.body.nextCursor })
      .set(...planner)
      .expect(200);
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(page.body.items[1].id));
    const own = await sut.http
      .get('/api/v1/notices')
      .set(...owner)
      .expect(200);
    expect(new Set(own.body.items.map((notice: { service: string }) => notice.service))).toEqual(
      new Set(['utas']),
    );
    await sut.http
      .get('/api/v1/notices')
      .query({ service: 'utol' })
      .set(...owner)
      .expect(403);
    await sut.http
      .get('/api/v1/notices')
      .query({ status: 'lost' })
      .set(...planner)
      .expect(400);
  });
});
