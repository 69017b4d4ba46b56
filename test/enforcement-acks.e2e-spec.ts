import { DesiredStateRefresher } from '@stepwise/enforcement/desired-state.refresher';
import {
  enforcingPhase,
  insertPolicy,
  insertPullService,
  publishRevision,
  rulesStates,
} from './enforcement-fixtures';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

// Concurrent acks share transactions (RulesAckService's group commit); each must still be
// judged, attributed and answered as if it had been alone.
const SERVICES = Array.from({ length: 30 }, (_, index) => `pull-${String(index).padStart(2, '0')}`);

interface AppliedEvent {
  resource_id: string;
  actor_id: string;
  actor_role: string;
  request_id: string | null;
  after: { generation: number; via: string };
}

describe('pull connector: concurrent acks', () => {
  let sut: TestApi;
  const tokens = new Map<string, string>();
  let generation: number;

  const ack = (service: string, acked: number, headers: Record<string, string> = {}) =>
    sut.http
      .post(`/api/v1/services/${service}/rules/ack`)
      .set(...bearer(tokens.get(service) as string))
      .set(headers)
      .send({ generation: acked });
  const appliedEvents = () =>
    sut.db.query<AppliedEvent>(
      `SELECT resource_id, actor_id, actor_role, request_id, after FROM audit_events
       WHERE action = 'rules.applied' ORDER BY seq`,
    );

  beforeAll(async () => {
    sut = await startTestApi();
    await insertPolicy(sut.db);
    for (const id of SERVICES) {
      await insertPullService(sut.db, id);
    }
    await publishRevision(sut.db, 'mfa', 1, [
      enforcingPhase('step-1', new Date(Date.now() - 60_000), SERVICES),
    ]);
    await sut.app.get(DesiredStateRefresher, { strict: false }).refresh();
    generation = (await rulesStates(sut.db)).get(SERVICES[0])?.generation as number;
    for (const id of SERVICES) {
      tokens.set(id, await sut.token('connector', [id]));
    }
  });

  afterAll(async () => {
    await sut.close();
  });

  it('records each of many simultaneous acks once, under its own token and request, and refuses the bad ones alone', async () => {
    const [good, stale] = [SERVICES.slice(0, 25), SERVICES.slice(25)];
    const answers = await Promise.all([
      ...good.map((id) => ack(id, generation)),
      ...stale.map((id) => ack(id, generation + 1)),
    ]);
    expect(answers.slice(0, good.length).map((res) => res.status)).toEqual(good.map(() => 204));
    for (const res of answers.slice(good.length)) {
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(`generation ${generation + 1} has not been issued`);
    }

    const states = await rulesStates(sut.db);
    for (const id of good) {
      expect(states.get(id)?.applied_generation).toBe(generation);
    }
    for (const id of stale) {
      expect(states.get(id)?.applied_generation).toBe(0);
    }

    const events = await appliedEvents();
    expect(events.map((event) => event.resource_id).sort()).toEqual(good);
    // One connector token per service: every event names the token that sent its ack.
    const tokenOf = new Map(
      (
        await sut.db.query<{ id: string; service: string }>(
          `SELECT id, services[1] AS service FROM api_tokens WHERE role = 'connector'`,
        )
      ).map((row) => [row.service, row.id]),
    );
    for (const event of events) {
      expect(event.actor_id).toBe(tokenOf.get(event.resource_id));
      expect(event.actor_role).toBe('connector');
      expect(event.after).toMatchObject({ generation, via: 'ack' });
    }
    const requestIds = events.map((event) => event.request_id);
    expect(requestIds.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(requestIds).size).toBe(good.length);

    // The same token acking again is answered alone and records nothing more.
    await ack(good[0], generation).expect(204);
    expect(await appliedEvents()).toHaveLength(good.length);

    const verify = await sut.http
      .get('/api/v1/audit/verify')
      .set(...bearer(ADMIN_TOKEN))
      .expect(200);
    expect(verify.body.ok).toBe(true);
  });

  it('keeps an Idempotency-Key per ack: replayed with the same body, refused with another', async () => {
    const [id] = SERVICES.slice(25);
    const key = { 'idempotency-key': 'ack-once-1' };
    await ack(id, generation, key).expect(204);
    await ack(id, generation, key).expect(204);
    const reused = await ack(id, generation + 1, key).expect(422);
    expect(reused.body.message).toMatch(/was used for another request/);
    const keys = await sut.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM idempotency_keys WHERE key = 'ack-once-1'`,
    );
    expect(Number(keys[0].n)).toBe(1);
    expect((await rulesStates(sut.db)).get(id)?.applied_generation).toBe(generation);
  });

  it('claims no key for a refused ack, so the same key works once the ack is right', async () => {
    const id = SERVICES[26];
    const key = { 'idempotency-key': 'ack-after-refusal' };
    await ack(id, generation + 5, key).expect(409);
    await ack(id, generation, key).expect(204);
    expect((await rulesStates(sut.db)).get(id)?.applied_generation).toBe(generation);
  });
});
