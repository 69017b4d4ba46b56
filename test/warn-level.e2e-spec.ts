import ICAL from 'ical.js';
import { DesiredStateRefresher } from '@stepwise/enforcement/desired-state.refresher';
import { RulesChangeNotifier } from '@stepwise/enforcement/rules-change-notifier';
import { waitFor } from './enforcement-fixtures';
import { admin, aPhase, aRevision, givenDirectoryAndPolicy } from './planning-support';
import { bearer, startTestApi, TestApi } from './support/test-api';

// The `warn` level through every read path (issue 21): a warn phase in force since 2026-01-01,
// an enforce phase on 2030-01-01, and the policy's setup instructions.

const SETUP = 'https://mfa.example.ac.jp/setup';
const WARN_AT = '2025-12-31T15:00:00.000Z'; // 2026-01-01 in Asia/Tokyo
const ENFORCE_AT = '2029-12-31T15:00:00.000Z'; // 2030-01-01 in Asia/Tokyo

describe('warn level through the API', () => {
  let sut: TestApi;
  let policy: string;
  let planner: [string, string];
  const plan = aRevision({
    phases: [
      aPhase({ key: 'warn-vpn', enforcement: 'warn', effective: { at: '2026-01-01' } }),
      aPhase({ key: 'block-vpn', effective: { at: '2030-01-01' } }),
    ],
    standingRules: [],
  });

  beforeAll(async () => {
    sut = await startTestApi();
    planner = bearer(await sut.token('planner'));
    policy = await givenDirectoryAndPolicy(sut, { requireApproval: false, instructionsUrl: SETUP });
    const draft = await sut.http
      .post(`/api/v1/policies/${policy}/revisions`)
      .set(...planner)
      .send(plan)
      .expect(201);
    await sut.http
      .post(`/api/v1/policies/${policy}/revisions/${draft.body.number}/publish`)
      .set(...planner)
      .expect(200);
    // As the worker does after a publish: compute and store every service's desired rules.
    const result = await sut.app.get(DesiredStateRefresher, { strict: false }).refresh();
    await sut.app.get(RulesChangeNotifier, { strict: false }).notify(result.changed.length);
  });

  afterAll(async () => {
    await sut.close();
  });

  it('keeps the instructions on the policy and refuses a bad one, naming the field', async () => {
    const res = await sut.http
      .get(`/api/v1/policies/${policy}`)
      .set(...admin)
      .expect(200);
    expect(res.body.instructionsUrl).toBe(SETUP);
    const bad = await sut.http
      .post('/api/v1/policies')
      .set(...admin)
      .send({ id: 'bad-url', title: 'x', timezone: 'Asia/Tokyo', instructionsUrl: 'ftp://x' })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('instructionsUrl');
  });

  it('answers warn with the instructions in requirements, upcoming enforced', async () => {
    const res = await sut.http
      .get('/api/v1/services/svc-vpn/requirements')
      .set(...admin)
      .expect(200);
    expect(res.body.requirements[0]).toEqual({
      policy,
      revision: 1,
      population: 'staff',
      level: 'warn',
      // Published during the suite, backdating the phase: in force from its publication (ADR 0201).
      since: expect.stringMatching(/Z$/),
      plannedSince: WARN_AT,
      source: { kind: 'phase', phase: 'warn-vpn' },
      instructionsUrl: SETUP,
    });
    expect(res.body.requirements[0].since > WARN_AT).toBe(true);
    expect(res.body.upcoming).toContainEqual(
      expect.objectContaining({ level: 'enforced', at: ENFORCE_AT, phase: 'block-vpn' }),
    );
    const before = await sut.http
      .get('/api/v1/services/svc-vpn/requirements')
      .query({ at: '2025-12-01' })
      .set(...admin)
      .expect(200);
    expect(before.body.upcoming[0]).toMatchObject({ level: 'warn', at: WARN_AT, phase: 'warn-vpn' });
  });

  it('puts warn and the instructions in the rules document an enforcement point pulls (and is pushed)', async () => {
    const res = await waitFor('rules served', async () => {
      const answer = await sut.http.get('/api/v1/services/svc-vpn/rules').set(...admin);
      return answer.status === 200 ? answer : null;
    });
    expect(res.body.rules).toEqual([
      expect.objectContaining({ population: 'staff', level: 'warn', instructionsUrl: SETUP }),
      expect.objectContaining({ population: 'students', level: 'warn', instructionsUrl: SETUP }),
    ]);
    expect(res.body.nextChangeAt).toBe(ENFORCE_AT);
    const legacy = await sut.http
      .get('/api/v1/services/svc-legacy/rules')
      .set(...admin)
      .expect(200);
    expect(legacy.body.rules[0]).toMatchObject({ level: 'expected' });
    expect(legacy.body.rules[0]).not.toHaveProperty('instructionsUrl');
  });

  it('lists warn transitions in the schedule and its calendar', async () => {
    const query = { from: '2025-12-01', to: '2030-06-01' };
    const res = await sut.http
      .get('/api/v1/schedule')
      .query(query)
      .set(...admin)
      .expect(200);
    const vpn = res.body.items.filter(
      (t: { service: string; population: string }) => t.service === 'svc-vpn',
    );
    // The live timeline: the revision, published just now, warns from its publication on.
    expect(vpn.filter((t: { population: string }) => t.population === 'staff')).toEqual([
      expect.objectContaining({ from: 'none', to: 'warn', source: { kind: 'phase', phase: 'warn-vpn' } }),
      expect.objectContaining({ at: ENFORCE_AT, from: 'warn', to: 'enforced' }),
    ]);
    const ics = await sut.http
      .get('/api/v1/schedule.ics')
      .query(query)
      .set(...admin)
      .expect(200);
    const summaries = new ICAL.Component(ICAL.parse(ics.text))
      .getAllSubcomponents('vevent')
      .map((event) => String(event.getFirstPropertyValue('summary')));
    expect(summaries).toContain('svc-vpn: staff none → warn');
    expect(summaries).toContain('svc-vpn: staff warn → enforced');
  });

  it('draws warn bands on the timeline', async () => {
    const res = await sut.http
      .get('/api/v1/timeline')
      .set(...admin)
      .expect(200);
    const vpn = res.body.services.find((service: { id: string }) => service.id === 'svc-vpn');
    const levels = vpn.lanes[0].bands.map((band: { level: string }) => band.level);
    expect(levels).toEqual(expect.arrayContaining(['warn']));
  });

  it('shows warn in the impact and the diff of a draft that softens the block to warn', async () => {
    const softer = aRevision({
      summary: 'Warn instead of block',
      phases: [
        aPhase({ key: 'warn-vpn', enforcement: 'warn', effective: { at: '2026-01-01' } }),
        aPhase({
          key: 'block-vpn',
          enforcement: 'warn',
          effective: { at: '2030-01-01' },
          instructionsUrl: `${SETUP}/vpn`,
        }),
      ],
      standingRules: [],
    });
    const draft = await sut.http
      .post(`/api/v1/policies/${policy}/revisions`)
      .set(...planner)
      .send(softer)
      .expect(201);
    const n = draft.body.number as number;
    const impact = await sut.http
      .get(`/api/v1/policies/${policy}/revisions/${n}/impact`)
      .set(...admin)
      .expect(200);
    const entries = impact.body.changes as {
      service: string;
      from: string;
      to: string;
      at: string;
    }[];
    expect(entries.filter((entry) => entry.service === 'svc-vpn')).toContainEqual(
      expect.objectContaining({ at: ENFORCE_AT, from: 'enforced', to: 'warn' }),
    );
    const diff = await sut.http
      .get(`/api/v1/policies/${policy}/revisions/${n}/diff`)
      .query({ against: 1 })
      .set(...admin)
      .expect(200);
    const block = diff.body.phases.find((phase: { key: string }) => phase.key === 'block-vpn');
    expect(block.changes.map((change: { field: string }) => change.field)).toEqual([
      'enforcement',
      'instructionsUrl',
    ]);
  });
});
