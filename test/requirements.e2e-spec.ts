import ICAL from 'ical.js';
import { waitFor } from './enforcement-fixtures';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';
import { seedDemo } from './support/seed';

// Expected values are read off the announcement (shared/seed), not off the code's output.
const TOKYO_2024_02_01 = '2024-01-31T15:00:00.000Z';
const TOKYO_2024_02_28 = '2024-02-27T15:00:00.000Z';
const TOKYO_2024_03_01 = '2024-02-29T15:00:00.000Z';
const TOKYO_2024_08_29 = '2024-08-28T15:00:00.000Z';

describe('requirements, schedule, calendar and what-if on the seeded plan', () => {
  let sut: TestApi;
  const admin = bearer(ADMIN_TOKEN);

  beforeAll(async () => {
    sut = await startTestApi();
    seedDemo(sut.db.url);
  });

  afterAll(async () => {
    await sut.close();
  });

  const requirements = (service: string, query: Record<string, string>) =>
    sut.http
      .get(`/api/v1/services/${service}/requirements`)
      .query(query)
      .set(...admin);

  it('answers "on 2024-03-15, what did the plan say UTAS would require in July?"', async () => {
    const res = await requirements('utas', {
      at: '2024-07-01',
      asOf: '2024-03-15',
      population: 'students',
    }).expect(200);
    expect(res.body).toMatchObject({
      service: 'utas',
      at: '2024-06-30T15:00:00.000Z',
      asOf: '2024-03-14T15:00:00.000Z',
    });
    expect(res.body.requirements).toEqual([
      {
        policy: 'mfa-mandatory',
        revision: 1,
        population: 'students',
        level: 'expected',
        since: TOKYO_2024_02_28,
        plannedSince: TOKYO_2024_02_28,
        source: { kind: 'statement' },
      },
    ]);
    expect(res.body.upcoming).toContainEqual(
      expect.objectContaining({
        level: 'enforced',
        at: null,
        tentative: '2024-06',
        phase: 'step-4',
        revision: 1,
      }),
    );
  });

  it('answers the same question as of after the August revision: step 4 suspended, nothing tentative', async () => {
    const res = await requirements('utas', {
      at: '2024-07-01',
      asOf: '2024-09-01',
      population: 'students',
    }).expect(200);
    expect(res.body.requirements[0]).toMatchObject({
      revision: 2,
      level: 'expected',
      source: { kind: 'statement' },
    });
    expect(res.body.upcoming.filter((u: { tentative: string | null }) => u.tentative !== null)).toEqual([]);
  });

  // Step 1 is dated 2024-02-01 by revision 1, published on 2024-02-28: in force from then.
  it.each([
    [
      'utokyo-vpn',
      '2024-03-15',
      '2024-03-15',
      'enforced',
      { kind: 'phase', phase: 'step-1' },
      TOKYO_2024_02_28,
    ],
    [
      'utokyo-wifi-account-menu',
      '2024-02-29',
      '2024-02-29',
      'expected',
      { kind: 'statement' },
      TOKYO_2024_02_28,
    ],
    [
      'utokyo-wifi-account-menu',
      '2024-03-01',
      '2024-03-01',
      'enforced',
      { kind: 'phase', phase: 'step-2' },
      TOKYO_2024_03_01,
    ],
    ['eccs-cloud-email', '2024-06-15', '2024-06-15', 'expected', { kind: 'statement' }, TOKYO_2024_02_28],
    ['utol', '2024-02-10', '2024-02-10', 'none', { kind: 'none' }, null],
  ])('%s at %s as of %s is %s', async (service, at, asOf, level, source, since) => {
    const plannedSince = service === 'utokyo-vpn' ? TOKYO_2024_02_01 : since;
    const res = await requirements(service, { at, asOf, population: 'faculty-staff' }).expect(200);
    expect(res.body.requirements).toEqual([
      expect.objectContaining({ population: 'faculty-staff', level, source, since, plannedSince }),
    ]);
  });

  it('gives one requirement per population now, from revision 2', async () => {
    const res = await requirements('utokyo-slack', {}).expect(200);
    expect(res.body.requirements.map((r: { population: string }) => r.population)).toEqual([
      'faculty-staff',
      'students',
    ]);
    expect(
      res.body.requirements.every(
        (r: { revision: number; level: string }) => r.revision === 2 && r.level === 'enforced',
      ),
    ).toBe(true);
  });

  it('answers the plain "now" form on the fast path exactly as the full route does', async () => {
    const owner = await sut.token('service-owner', ['utas']);
    const fast = await sut.http
      .get('/api/v1/services/utas/requirements?population=students')
      .set(...bearer(owner))
      .expect(200);
    const full = await sut.http
      .get('/api/v1/services/utas/requirements')
      .query({ population: 'students', asOf: fast.body.asOf, at: fast.body.at })
      .set(...bearer(owner))
      .expect(200);
    expect(fast.headers['content-type']).toContain('application/json');
    expect(fast.headers['x-content-type-options']).toBe('nosniff');
    expect(fast.headers['x-request-id']).toBeDefined();
    expect(fast.body).toEqual(full.body);
    // Same headers but for the ones that differ per response.
    const names = (headers: Record<string, unknown>) =>
      Object.keys(headers)
        .filter((name) => !['date', 'content-length', 'x-request-id'].includes(name))
        .sort();
    expect(names(fast.headers)).toEqual(names(full.headers));
  });

  it('keeps the fast answer current when a fact changes now, and when a dated one takes effect', async () => {
    const service = 'example-lab-portal';
    const owner = await sut.token('service-owner', [service]);
    const ask = async () =>
      (
        await sut.http
          .get(`/api/v1/services/${service}/requirements`)
          .set(...bearer(owner))
          .expect(200)
      ).body as {
        at: string;
        asOf: string;
        requirements: { level: string }[];
      };
    const levels = (answer: { requirements: { level: string }[] }) => answer.requirements.map((r) => r.level);
    const before = await ask();
    expect(before.asOf).toBe(before.at);
    expect(levels(before)).toEqual(['expected', 'expected']);
    const capability = (body: object) =>
      sut.http
        .post(`/api/v1/services/${service}/capability-changes`)
        .set(...admin)
        .send(body)
        .expect(201);
    // Ready from now: revision 2 makes a ready system require MFA from that moment.
    await capability({ mfaCapability: 'ready' });
    // The API instance hears of the change by pub/sub, so "at once" means within moments.
    const ready = await waitFor(
      'the ready fact in the fast answer',
      async () => {
        const answer = await ask();
        return levels(answer).join() === 'enforced,enforced' ? answer : null;
      },
      5000,
      20,
    );
    // Not ready again from two seconds on: the kept answer must end exactly then.
    const notReadyAt = new Date(Date.now() + 2000).toISOString();
    await capability({ mfaCapability: 'not-ready', effectiveAt: notReadyAt });
    const stillReady = await ask();
    expect(levels(stillReady)).toEqual(['enforced', 'enforced']);
    expect(stillReady.requirements).toEqual(ready.requirements);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(notReadyAt) - Date.now() + 50));
    const after = await ask();
    expect(levels(after)).toEqual(['expected', 'expected']);
    const full = await requirements(service, { at: after.at, asOf: after.asOf }).expect(200);
    expect(after).toEqual(full.body);
  });

  it('keeps what an earlier asOf said when the introduction is corrected later', async () => {
    const id = 'example-corrected-intro';
    await sut.http
      .post('/api/v1/services')
      .set(...admin)
      .send({
        id,
        name: 'Corrected introduction',
        introducedAt: '2020-01-01',
        mfaCapability: 'ready',
        readySince: '2020-01-01',
        connector: { type: 'pull' },
      })
      .expect(201);
    const recordedBefore = new Date().toISOString();
    const at = '2026-01-01T00:00:00Z';
    const levelsAsOf = async (asOf: string) =>
      ((await requirements(id, { at, asOf }).expect(200)).body.requirements as { level: string }[]).map(
        (r) => r.level,
      );
    await waitFor('the new service in the snapshot', async () => (await requirements(id, {})).status === 200);
    // Introduced before the rule's baseline (2024-02-28): the statement alone applies.
    expect(await levelsAsOf(recordedBefore)).toEqual(['expected', 'expected']);
    await sut.http
      .patch(`/api/v1/services/${id}`)
      .set(...admin)
      .set('if-match', '"1"')
      .send({ introducedAt: '2025-01-01' })
      .expect(200);
    const now = new Date().toISOString();
    const corrected = await waitFor(
      'the corrected introduction in the answers',
      async () => {
        const res = await requirements(id, { at, asOf: now }).expect(200);
        return res.body.requirements[0].level === 'enforced' ? res.body.requirements[0] : null;
      },
      5000,
      20,
    );
    expect(corrected).toMatchObject({
      since: '2024-12-31T15:00:00.000Z',
      source: { kind: 'rule', rule: 'service-introduced' },
    });
    expect(await levelsAsOf(recordedBefore)).toEqual(['expected', 'expected']);
    const statements = await sut.db.query<{ introduced_at: Date }>(
      'SELECT introduced_at FROM introduction_changes WHERE service_id = $1 ORDER BY id',
      [id],
    );
    expect(statements.map((row) => row.introduced_at.toISOString())).toEqual([
      '2019-12-31T15:00:00.000Z',
      '2024-12-31T15:00:00.000Z',
    ]);
  });

  it.each([
    [{ at: '2024-07-01T00:00' }, 'at'],
    [{ asOf: 'yesterday' }, 'asOf'],
    [{ at: '2024-02-30' }, 'at'],
    [{ population: 'visitors' }, 'population'],
    [{ when: 'now' }, 'when'],
  ])('refuses %j with 400 naming %s', async (query, field) => {
    const res = await requirements('utas', query).expect(400);
    expect(res.body.message).toContain(field);
  });

  it('answers 404 for an unknown service', async () => {
    await requirements('no-such-service', {}).expect(404);
  });

  it('lets owners and connectors see their own services only', async () => {
    const owner = await sut.token('service-owner', ['utas']);
    await sut.http
      .get('/api/v1/services/utas/requirements')
      .set(...bearer(owner))
      .expect(200);
    await sut.http
      .get('/api/v1/services/utol/requirements')
      .set(...bearer(owner))
      .expect(403);
    const connector = await sut.token('connector', ['utol']);
    await sut.http
      .get('/api/v1/services/utol/requirements')
      .set(...bearer(connector))
      .expect(200);
    const schedule = await sut.http
      .get('/api/v1/schedule')
      .query({ from: '2024-01-01', to: '2024-12-31' })
      .set(...bearer(owner))
      .expect(200);
    expect(new Set(schedule.body.items.map((t: { service: string }) => t.service))).toEqual(
      new Set(['utas']),
    );
  });

  it('lists 2024 transitions on the live timeline with their causes', async () => {
    const res = await sut.http
      .get('/api/v1/schedule')
      .query({ from: '2024-01-01', to: '2024-12-31' })
      .set(...admin)
      .expect(200);
    const of = (service: string) => res.body.items.filter((t: { service: string }) => t.service === service);
    // Revision 1 took over on 2024-02-28: VPN went straight to enforced (step 1 was already in force).
    expect(of('utokyo-vpn')).toContainEqual(
      expect.objectContaining({
        at: TOKYO_2024_02_28,
        population: 'students',
        from: 'none',
        to: 'enforced',
        source: { kind: 'phase', phase: 'step-1' },
      }),
    );
    expect(of('utokyo-wifi-account-menu')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          at: TOKYO_2024_02_28,
          population: 'students',
          from: 'none',
          to: 'expected',
        }),
        expect.objectContaining({
          at: TOKYO_2024_03_01,
          population: 'students',
          from: 'expected',
          to: 'enforced',
        }),
      ]),
    );
    // The August revision changed no level: nothing happens on 2024-08-29.
    expect(res.body.items.filter((t: { at: string }) => t.at === TOKYO_2024_08_29)).toEqual([]);
  });

  it('lists a change at the start of a window, not at its end, so adjoining windows list it once', async () => {
    const window = async (from: string, to: string) =>
      (
        await sut.http
          .get('/api/v1/schedule')
          .query({ from, to, service: 'utokyo-wifi-account-menu' })
          .set(...admin)
          .expect(200)
      ).body.items.map((t: { at: string }) => t.at);
    expect(await window('2024-02-29', '2024-03-01')).toEqual([]);
    expect(await window('2024-03-01', '2024-04-01')).toEqual([TOKYO_2024_03_01, TOKYO_2024_03_01]);
  });

  it('serves the schedule as a valid iCalendar feed with stable UIDs', async () => {
    const query = { from: '2024-01-01', to: '2024-12-31' };
    const json = await sut.http
      .get('/api/v1/schedule')
      .query(query)
      .set(...admin)
      .expect(200);
    const first = await sut.http
      .get('/api/v1/schedule.ics')
      .query(query)
      .set(...admin)
      .expect(200);
    expect(first.headers['content-type']).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(first.text) as unknown[]);
    const events = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events).toHaveLength(json.body.items.length);
    const uids = events.map((e) => e.uid);
    expect(new Set(uids).size).toBe(uids.length);
    const second = await sut.http
      .get('/api/v1/schedule.ics')
      .query(query)
      .set(...admin)
      .expect(200);
    const again = new ICAL.Component(ICAL.parse(second.text) as unknown[]).getAllSubcomponents('vevent');
    expect(again.map((e) => new ICAL.Event(e).uid)).toEqual(uids);
    const wifi = events.find((e) =>
      e.summary.startsWith('utokyo-wifi-account-menu: students expected → enforced'),
    );
    expect(wifi?.startDate.toJSDate().toISOString()).toBe(TOKYO_2024_03_01);
  });

  it("serves an owner's calendar to a calendar client by its feed URL, and closes it with the token", async () => {
    const created = await sut.http
      .post('/api/v1/tokens')
      .set(...admin)
      .send({ name: 'utas-owner-calendar', role: 'service-owner', services: ['utas'] })
      .expect(201);
    const owner = bearer(created.body.token);
    const query = { from: '2024-01-01', to: '2025-06-01' };
    const feed = await sut.http
      .get('/api/v1/schedule/feed')
      .set(...owner)
      .expect(200);
    expect(feed.body.url).toBe(`/api/v1/schedule.ics?feed=${feed.body.feed}`);
    // The same key every time: a subscription survives the owner asking again.
    const again = await sut.http
      .get('/api/v1/schedule/feed')
      .set(...owner)
      .expect(200);
    expect(again.body.feed).toBe(feed.body.feed);

    const eventsOf = (text: string) =>
      new ICAL.Component(ICAL.parse(text) as unknown[])
        .getAllSubcomponents('vevent')
        .map((event) => new ICAL.Event(event))
        .map((event) => ({ uid: event.uid, summary: event.summary }));
    const withToken = await sut.http
      .get('/api/v1/schedule.ics')
      .query(query)
      .set(...owner)
      .expect(200);
    // No Authorization header: the calendar client only has the URL.
    const byFeed = await sut.http.get(feed.body.url).query(query).expect(200);
    expect(byFeed.headers['content-type']).toContain('text/calendar');
    const events = eventsOf(byFeed.text);
    expect(events).toEqual(eventsOf(withToken.text));
    expect(events.length).toBeGreaterThan(0);
    // The token's scope holds: UTAS only, where the admin's calendar has every service.
    expect(events.every((event) => event.summary.startsWith('utas:'))).toBe(true);
    const all = await sut.http
      .get('/api/v1/schedule.ics')
      .query(query)
      .set(...admin)
      .expect(200);
    expect(eventsOf(all.text).length).toBeGreaterThan(events.length);
    const scoped = await sut.http.get(feed.body.url).query({ ...query, service: 'utokyo-vpn' });
    expect(scoped.status).toBe(403);

    // An altered key, a key on another route, and no key at all are refused.
    const altered = feed.body.feed.replace(/.$/, (last: string) => (last === 'A' ? 'B' : 'A'));
    const refused = await sut.http.get('/api/v1/schedule.ics').query({ feed: altered }).expect(401);
    expect(refused.body.message).toContain('calendar feed key is not valid');
    await sut.http.get('/api/v1/schedule').query({ feed: feed.body.feed }).expect(401);
    await sut.http.get('/api/v1/services/utas/requirements').query({ feed: feed.body.feed }).expect(401);
    await sut.http.get('/api/v1/schedule.ics').expect(401);
    // The bootstrap admin is no token row, so it has no feed.
    const bootstrap = await sut.http
      .get('/api/v1/schedule/feed')
      .set(...admin)
      .expect(400);
    expect(bootstrap.body.message).toContain('create a token');

    await sut.http
      .delete(`/api/v1/tokens/${created.body.id}`)
      .set(...admin)
      .expect(204);
    const revoked = await sut.http.get(feed.body.url).expect(401);
    expect(revoked.body.message).toContain('calendar feed key is not valid');
  });

  it('shows the impact of a draft before it is published', async () => {
    const planner = await sut.token('planner');
    const current = await sut.http
      .get('/api/v1/policies/mfa-mandatory/revisions/2')
      .set(...admin)
      .expect(200);
    const plan = current.body.plan ?? current.body;
    const draft = {
      summary: 'Require MFA on UTAS from 2030',
      reason: 'impact test',
      mandatory: plan.mandatory,
      standingRules: plan.standingRules,
      phases: [
        ...plan.phases,
        {
          key: 'step-5',
          title: 'UTAS requires MFA',
          effective: { at: '2030-04-01' },
          scope: { services: ['utas'] },
          enforcement: 'enforce',
        },
      ],
    };
    const created = await sut.http
      .post('/api/v1/policies/mfa-mandatory/revisions')
      .set(...bearer(planner))
      .send(draft)
      .expect(201);
    const res = await sut.http
      .get(`/api/v1/policies/mfa-mandatory/revisions/${created.body.number}/impact`)
      .set(...bearer(planner))
      .expect(200);
    expect(res.body).toMatchObject({
      policy: 'mfa-mandatory',
      revision: created.body.number,
      status: 'draft',
      against: 2,
    });
    expect(res.body.changes).toEqual(
      expect.arrayContaining(
        ['faculty-staff', 'students'].map((population) =>
          expect.objectContaining({
            service: 'utas',
            population,
            at: '2030-03-31T15:00:00.000Z',
            from: 'expected',
            to: 'enforced',
          }),
        ),
      ),
    );
    expect(res.body.changes.every((c: { service: string }) => c.service === 'utas')).toBe(true);
    const owner = await sut.token('service-owner', ['utas']);
    await sut.http
      .get(`/api/v1/policies/mfa-mandatory/revisions/${created.body.number}/impact`)
      .set(...bearer(owner))
      .expect(403);
  });

  it('compares a published revision with the one it replaced, from its own publishAt', async () => {
    const first = await sut.http
      .get('/api/v1/policies/mfa-mandatory/revisions/1/impact')
      .set(...admin)
      .expect(200);
    expect(first.body).toMatchObject({
      revision: 1,
      status: 'published',
      against: null,
      takesOverAt: TOKYO_2024_02_28,
    });
    // What publishing it changed, from its own takeover (nothing came before it).
    expect(first.body.changes.length).toBeGreaterThan(0);
    for (const change of first.body.changes as { at: string }[]) {
      expect(change.at >= TOKYO_2024_02_28).toBe(true);
    }
    expect(first.body.changes).toContainEqual(
      expect.objectContaining({ service: 'utas', at: TOKYO_2024_02_28, from: 'none', to: 'expected' }),
    );
    const second = await sut.http
      .get('/api/v1/policies/mfa-mandatory/revisions/2/impact')
      .set(...admin)
      .expect(200);
    expect(second.body).toMatchObject({ against: 1, takesOverAt: '2024-08-28T15:00:00.000Z' });
  });

  it('expresses a phase over every service, ready or not, minus exceptions, in one phase', async () => {
    const planner = await sut.token('planner');
    const current = await sut.http
      .get('/api/v1/policies/mfa-mandatory/revisions/2')
      .set(...admin)
      .expect(200);
    const draft = {
      summary: 'Every system requires MFA from 2031, but UTAS',
      reason: 'scope all',
      mandatory: current.body.mandatory,
      standingRules: current.body.standingRules,
      phases: [
        ...current.body.phases,
        {
          key: 'everyone',
          title: 'Every system',
          effective: { at: '2031-04-01' },
          scope: { all: true, except: ['utas'] },
          enforcement: 'enforce',
        },
      ],
    };
    const created = await sut.http
      .post('/api/v1/policies/mfa-mandatory/revisions')
      .set(...bearer(planner))
      .send(draft)
      .expect(201);
    const stored = await sut.http
      .get(`/api/v1/policies/mfa-mandatory/revisions/${created.body.number}`)
      .set(...admin)
      .expect(200);
    expect(stored.body.phases.at(-1).scope).toEqual({ all: true, except: ['utas'] });
    const impact = await sut.http
      .get(`/api/v1/policies/mfa-mandatory/revisions/${created.body.number}/impact`)
      .set(...bearer(planner))
      .expect(200);
    const changed = new Set(
      (impact.body.changes as { service: string; at: string }[])
        .filter((c) => c.at === '2031-03-31T15:00:00.000Z')
        .map((c) => c.service),
    );
    // Not-ready example systems and UTOL included; UTAS excepted; the enforced ones unchanged.
    expect(changed.has('utol')).toBe(true);
    expect(changed.has('example-legacy-payroll')).toBe(true);
    expect(changed.has('utas')).toBe(false);
    expect(changed.has('utokyo-vpn')).toBe(false);
    await sut.http
      .post(`/api/v1/policies/mfa-mandatory/revisions/${created.body.number}/withdraw`)
      .set(...bearer(planner))
      .send({})
      .expect(200);
  });
});
