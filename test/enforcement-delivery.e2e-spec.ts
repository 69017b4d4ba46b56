import { Queue } from 'bullmq';
import { QueueName } from '@stepwise/queue/queue-catalogue';
import {
  enforcingPhase,
  insertPolicy,
  insertWebhookServices,
  publishRevision,
  rulesStates,
  waitFor,
} from './enforcement-fixtures';
import {
  ScriptedReceiver,
  scriptedReceiver,
  signatureHeaders,
  verifyWithReference,
  webhookIdCounts,
} from './enforcement-receivers';
import { freePort, RunningProcess, startProcess } from './support/processes';
import { bearer, startTestApi, TestApi } from './support/test-api';

const HEALTHY = Array.from({ length: 20 }, (_, index) => `h-${String(index + 1).padStart(2, '0')}`);
const TIMEOUT_MS = 2500;

describe('webhook delivery against misbehaving receivers', () => {
  let sut: TestApi;
  let worker: RunningProcess;
  let metricsPort: number;
  let planner: string;
  let secrets: Map<string, string>;
  const receivers: Record<string, ScriptedReceiver> = {};
  let goneAnswers = 410;

  const rollout = async () => {
    const res = await sut.http
      .get('/api/v1/rollout')
      .set(...bearer(planner))
      .expect(200);
    return new Map<string, Record<string, unknown>>(
      res.body.items.map((item: { service: string }) => [item.service, item]),
    );
  };
  const auditOf = (action: string, service: string) =>
    sut.db.query<{ after: Record<string, unknown>; reason: string | null }>(
      'SELECT after, reason FROM audit_events WHERE action = $1 AND resource_id = $2 ORDER BY seq',
      [action, service],
    );

  /** A planner gives the service a webhook connector at `url`, at its current version. */
  const moveWebhook = async (service: string, url: string) => {
    const current = await sut.http
      .get(`/api/v1/services/${service}`)
      .set(...bearer(planner))
      .expect(200);
    await sut.http
      .patch(`/api/v1/services/${service}`)
      .set(...bearer(planner))
      .set('if-match', current.headers.etag)
      .send({ connector: { type: 'webhook', url } })
      .expect(200);
  };

  beforeAll(async () => {
    metricsPort = await freePort();
    sut = await startTestApi({
      STEPWISE_WEBHOOK_ALLOWLIST: '127.0.0.1/32',
      STEPWISE_SWEEP_INTERVAL_MS: '2000',
      STEPWISE_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      STEPWISE_WORKER_METRICS_PORT: String(metricsPort),
    });
    planner = await sut.token('planner');
    receivers.healthy = await scriptedReceiver(() => 204);
    receivers.flaky = await scriptedReceiver((n) => (n <= 2 ? 500 : 200));
    receivers.hangs = await scriptedReceiver((n) => (n === 1 ? 'hold' : 200));
    receivers.trap = await scriptedReceiver(() => 200);
    receivers.redirects = await scriptedReceiver(() => ({ redirect: `${receivers.trap.origin}/stolen` }));
    receivers.gone = await scriptedReceiver(() => goneAnswers);
    await insertPolicy(sut.db);
    secrets = await insertWebhookServices(sut.db, [
      ...HEALTHY.map((id) => ({ id, url: `${receivers.healthy.origin}/${id}` })),
      ...['flaky', 'hangs', 'redirects', 'gone'].map((id) => ({ id, url: `${receivers[id].origin}/hook` })),
    ]);
    await publishRevision(sut.db, 'mfa', 1, [
      enforcingPhase('step-1', new Date(Date.now() - 1000), [
        ...HEALTHY,
        'flaky',
        'hangs',
        'redirects',
        'gone',
      ]),
    ]);
    // The worker's first sweep computes generation 1 of every service and delivers it.
    worker = startProcess('dist/apps/worker/src/main.js', { LOG_LEVEL: 'info' });
    await worker.waitFor('stepwise-worker ready');
  });

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    for (const receiver of Object.values(receivers)) {
      receiver.release();
      await receiver.close();
    }
    await sut.close();
  });

  it('applies healthy services while a hanging receiver still holds its first request', async () => {
    await waitFor('healthy services in sync', async () => {
      const states = await rollout();
      return HEALTHY.every((id) => states.get(id)?.state === 'in-sync');
    });
    // No head-of-line blocking: the hanging send has not even timed out yet.
    expect(receivers.hangs.held).toHaveLength(1);
    expect((await rulesStates(sut.db)).get('hangs')?.applied_generation).toBe(0);
  });

  it('signs every delivery so that the reference verifier accepts it, and rejects a tampered or stale one', () => {
    expect(receivers.healthy.received).toHaveLength(HEALTHY.length);
    for (const request of receivers.healthy.received) {
      const service = request.path.slice(1);
      const headers = signatureHeaders(request);
      expect(headers['webhook-id']).toBe(`${service}-1`);
      const verified = verifyWithReference(secrets.get(service) as string, request.body, headers);
      expect(verified).toEqual(JSON.parse(request.body));
      expect(verified).toMatchObject({ service, generation: 1, nextChangeAt: null });
      const tampered = request.body.replace('"enforced"', '"none"');
      expect(() => verifyWithReference(secrets.get(service) as string, tampered, headers)).toThrow(
        /signature/,
      );
      const stale = { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 600) };
      expect(() => verifyWithReference(secrets.get(service) as string, request.body, stale)).toThrow(
        /too old/,
      );
    }
  });

  it('retries a receiver answering 500 twice with the same webhook-id, then applies it', async () => {
    await waitFor(
      'flaky applied',
      async () => (await rulesStates(sut.db)).get('flaky')?.applied_generation === 1,
    );
    expect(receivers.flaky.received.map((request) => request.headers['webhook-id'])).toEqual([
      'flaky-1',
      'flaky-1',
      'flaky-1',
    ]);
    expect(await auditOf('rules.applied', 'flaky')).toEqual([
      expect.objectContaining({ after: { generation: 1, via: 'webhook', statusCode: 200 } }),
    ]);
  });

  it('times out a hanging receiver and retries; the repeat of an unanswered send counts as a duplicate', async () => {
    await waitFor(
      'hangs applied',
      async () => (await rulesStates(sut.db)).get('hangs')?.applied_generation === 1,
    );
    expect(webhookIdCounts([receivers.hangs]).get('hangs-1')).toBe(2);
    expect((await rulesStates(sut.db)).get('hangs')?.duplicate_deliveries).toBe(1);
  });

  it('never follows a redirect: the target receives nothing and the service is failing', async () => {
    const state = await waitFor('redirects failing twice', async () => {
      const item = (await rollout()).get('redirects');
      return item?.state === 'failing' && Number(item.attempts) >= 2 ? item : null;
    });
    expect(state.lastError).toBe('receiver answered HTTP 302');
    expect(receivers.redirects.received.length).toBeGreaterThanOrEqual(2);
    expect(receivers.trap.received).toEqual([]);
  });

  it('disables the connector on 410 without retrying, audits it, and re-enables it on redeliver', async () => {
    await waitFor('gone disabled', async () => (await rollout()).get('gone')?.state === 'disabled');
    expect(await auditOf('connector.disabled', 'gone')).toEqual([
      expect.objectContaining({ reason: 'receiver answered 410 Gone to generation 1' }),
    ]);
    // Not retried: no retry job was queued, one send was made, and it was counted once.
    const queue = new Queue(QueueName.Delivery, { connection: { port: 6379 }, prefix: sut.redisPrefix });
    expect(await queue.getJob('deliver-gone-1')).toBeUndefined();
    await queue.close();
    expect((await rulesStates(sut.db)).get('gone')?.delivery_attempts).toBe(1);
    expect(receivers.gone.received).toHaveLength(1);

    goneAnswers = 200;
    const res = await sut.http
      .post('/api/v1/services/gone/redeliver')
      .set(...bearer(planner))
      .send({ reason: 'receiver moved back' })
      .expect(202);
    expect(res.body).toMatchObject({ service: 'gone', generation: 1, reenabled: true });
    await waitFor('gone in sync', async () => (await rollout()).get('gone')?.state === 'in-sync');
    expect(await auditOf('connector.enabled', 'gone')).toEqual([
      expect.objectContaining({ reason: 'receiver moved back' }),
    ]);
    expect(webhookIdCounts([receivers.gone]).get('gone-1')).toBe(2);
  });

  it('sends an applied generation again when a planner asks for a redelivery, and audits both', async () => {
    await waitFor('h-01 in sync', async () => (await rollout()).get('h-01')?.state === 'in-sync');
    expect(webhookIdCounts([receivers.healthy]).get('h-01-1')).toBe(1);
    const res = await sut.http
      .post('/api/v1/services/h-01/redeliver')
      .set(...bearer(planner))
      .send({ reason: 'receiver restored from a backup' })
      .expect(202);
    expect(res.body).toMatchObject({ service: 'h-01', generation: 1, reenabled: false });
    // Named by the request's instant, so the worker's passes that see the request queue this job.
    expect(res.body.jobId).toMatch(/^deliver-h-01-1-r\d+$/);
    await waitFor('h-01 sent again', async () => webhookIdCounts([receivers.healthy]).get('h-01-1') === 2);
    await waitFor('h-01 in sync again', async () => (await rollout()).get('h-01')?.state === 'in-sync');
    expect((await rulesStates(sut.db)).get('h-01')?.applied_generation).toBe(1);
    expect((await auditOf('rules.applied', 'h-01')).map((event) => event.after.generation)).toEqual([1, 1]);
    // Asked for once, sent once more: the sweeps that follow send nothing further.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(webhookIdCounts([receivers.healthy]).get('h-01-1')).toBe(2);
  });

  it('sends the current generation to a webhook whose URL a planner changed', async () => {
    receivers.moved = await scriptedReceiver(() => 204);
    expect((await rollout()).get('h-02')?.state).toBe('in-sync');
    await moveWebhook('h-02', `${receivers.moved.origin}/h-02`);
    expect((await rollout()).get('h-02')?.state).toBe('pending');
    await waitFor('h-02 at its new URL', async () => receivers.moved.received.length === 1);
    expect(receivers.moved.received[0].headers['webhook-id']).toBe('h-02-1');
    expect(JSON.parse(receivers.moved.received[0].body)).toMatchObject({ service: 'h-02', generation: 1 });
    await waitFor('h-02 in sync', async () => (await rollout()).get('h-02')?.state === 'in-sync');
  });

  it('sends to a webhook whose URL changed while a send to the old one was in flight', async () => {
    receivers.slow = await scriptedReceiver(() => 'hold');
    receivers.final = await scriptedReceiver(() => 204);
    await waitFor('h-03 in sync', async () => (await rollout()).get('h-03')?.state === 'in-sync');
    await moveWebhook('h-03', `${receivers.slow.origin}/h-03`);
    await waitFor('a send held by the slow receiver', async () => receivers.slow.held.length === 1);
    await moveWebhook('h-03', `${receivers.final.origin}/h-03`);
    // The send in flight succeeds, but it went to the old URL: the new one must still get the rules.
    receivers.slow.release(204);
    await waitFor('h-03 at its final URL', async () => receivers.final.received.length === 1);
    expect(receivers.final.received[0].headers['webhook-id']).toBe('h-03-1');
    await waitFor('h-03 in sync', async () => (await rollout()).get('h-03')?.state === 'in-sync');
  });

  it('re-enables a connector disabled by a 410 when a planner gives it a new URL, and audits that', async () => {
    goneAnswers = 410;
    await waitFor('gone in sync', async () => (await rollout()).get('gone')?.state === 'in-sync');
    await sut.http
      .post('/api/v1/services/gone/redeliver')
      .set(...bearer(planner))
      .send({ reason: 'check the receiver' })
      .expect(202);
    await waitFor('gone disabled again', async () => (await rollout()).get('gone')?.state === 'disabled');
    await moveWebhook('gone', `${receivers.healthy.origin}/gone`);
    const enabled = await auditOf('connector.enabled', 'gone');
    expect(enabled).toHaveLength(2);
    expect(enabled[1]).toMatchObject({
      reason: 'a new connector was given',
      after: { disabledAt: null },
    });
    await waitFor(
      'gone in sync at its new URL',
      async () => (await rollout()).get('gone')?.state === 'in-sync',
    );
  });

  it('serves Prometheus metrics from the worker', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/stepwise_worker_deliveries_total\{outcome="delivered"\} [1-9]\d*/);
    expect(text).toMatch(/stepwise_worker_delivery_failures_total\{kind="http"\} [1-9]/);
    expect(text).toMatch(/stepwise_worker_delivery_failures_total\{kind="gone"\} 2/);
    expect(text).toMatch(/stepwise_worker_duplicate_deliveries_total [1-9]/);
    expect(text).toMatch(/stepwise_worker_queue_jobs\{queue="delivery",state="failed"\} \d+/);
    expect(text).toContain('stepwise_worker_transition_lateness_seconds_bucket');
  });
});
