import {
  announcePlanChange,
  enforcingPhase,
  insertPolicy,
  insertPullService,
  publishRevision,
  startWorkerProcess,
  waitFor,
} from './enforcement-fixtures';
import type { RunningProcess } from './support/processes';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

// The real worker follows an approved postponement: a phase seconds ahead reaches pull-b at its
// date, while pull-a (postponed) keeps its level, its rules document naming the postponement, and
// gets the phase at the postponed date, as a transition like any other.

interface Rule {
  level: string;
  since: string | null;
  source: { kind: string; phase?: string; postponement?: string; until?: string };
}
interface RulesDocument {
  generation: number;
  rules: Rule[];
  nextChangeAt: string | null;
}

describe('postponement through the worker', () => {
  let sut: TestApi;
  const started: RunningProcess[] = [];
  const admin = bearer(ADMIN_TOKEN);

  const rulesOf = async (service: string): Promise<RulesDocument | null> => {
    const res = await sut.http.get(`/api/v1/services/${service}/rules`).set(...admin);
    return res.status === 200 ? (res.body as RulesDocument) : null;
  };

  beforeAll(async () => {
    sut = await startTestApi();
    await insertPolicy(sut.db, 'mfa', ['staff']);
    await insertPullService(sut.db, 'pull-a');
    await insertPullService(sut.db, 'pull-b');
    await startWorkerProcess(started);
  }, 60_000);

  afterAll(async () => {
    for (const worker of started) {
      worker.child.kill('SIGKILL');
    }
    await sut.close();
  });

  it('moves only the postponed service, and delivers its change at the postponed date', async () => {
    const owner = bearer(await sut.token('service-owner', ['pull-a']));
    const planner = bearer(await sut.token('planner'));
    const phaseAt = new Date(Date.now() + 12_000);
    const until = new Date(phaseAt.getTime() + 6_000);
    const phase = {
      ...enforcingPhase('step-1', phaseAt, ['pull-a', 'pull-b']),
      postponeUntilMax: new Date(phaseAt.getTime() + 3_600_000).toISOString(),
    };
    await publishRevision(sut.db, 'mfa', 1, [phase]);
    await announcePlanChange(sut.redisPrefix);
    const asked = await waitFor('the API to know the revision, then take the request', async () => {
      const res = await sut.http
        .post('/api/v1/services/pull-a/postponements')
        .set(...owner)
        .send({ policy: 'mfa', phase: 'step-1', until: until.toISOString(), reason: 'Vendor patch' });
      return res.status === 201 ? res : null;
    });
    await sut.http
      .post(`/api/v1/postponements/${asked.body.id as string}/approve`)
      .set(...planner)
      .send({ reason: 'ok' })
      .expect(200);
    expect(Date.now()).toBeLessThan(phaseAt.getTime());

    const b = await waitFor('pull-b enforced at the phase date', async () => {
      const rules = await rulesOf('pull-b');
      return rules?.rules[0].level === 'enforced' ? rules : null;
    });
    expect(b.rules[0].since).toBe(phaseAt.toISOString());
    const a = await waitFor('pull-a to name the postponement', async () => {
      const rules = await rulesOf('pull-a');
      return rules?.rules[0].source.kind === 'postponement' ? rules : null;
    });
    expect(a.rules[0]).toMatchObject({
      level: 'none',
      source: { kind: 'postponement', postponement: asked.body.id as string, until: until.toISOString() },
    });
    expect(a.nextChangeAt).toBe(until.toISOString());

    const lapsed = await waitFor('pull-a enforced at the postponed date', async () => {
      const rules = await rulesOf('pull-a');
      return rules?.rules[0].level === 'enforced' ? rules : null;
    });
    expect(lapsed.rules[0]).toMatchObject({
      since: until.toISOString(),
      source: { kind: 'phase', phase: 'step-1' },
    });
    expect(lapsed.generation).toBe(a.generation + 1);
    expect(lapsed.nextChangeAt).toBeNull();
  }, 90_000);
});
