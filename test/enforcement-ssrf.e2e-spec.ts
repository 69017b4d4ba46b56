import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { ScriptedReceiver, scriptedReceiver } from './enforcement-receivers';
import { RunningProcess, startProcess } from './support/processes';
import { bearer, startTestApi, TestApi } from './support/test-api';

/** Only this loopback address is allow-listed; the refused targets all point at 127.0.0.1. */
const ALLOWED_HOST = '127.0.0.2';

describe('SSRF: webhook targets refused at registration and at delivery', () => {
  let sut: TestApi;
  let worker: RunningProcess;
  let trap: ScriptedReceiver;
  let redirector: Server;
  let redirectorOrigin: string;
  let refused: Record<string, string>;

  beforeAll(async () => {
    sut = await startTestApi({
      STEPWISE_WEBHOOK_ALLOWLIST: `${ALLOWED_HOST}/32`,
      STEPWISE_SWEEP_INTERVAL_MS: '2000',
      STEPWISE_WORKER_METRICS_PORT: '0',
    });
    // Anything that reaches 127.0.0.1 would land here.
    trap = await scriptedReceiver(() => 200);
    const port = trap.port;
    refused = {
      'loopback-literal': `http://127.0.0.1:${port}/hook`,
      'hex-short': `http://0x7f.1:${port}/hook`,
      decimal: `http://2130706433:${port}/hook`,
      'mapped-v6': `http://[::ffff:7f00:1]:${port}/hook`,
      metadata: 'http://169.254.169.254/latest/meta-data/',
      'localhost-name': `http://localhost:${port}/hook`,
    };
    redirector = createServer((request, response) => {
      const location = request.url === '/to-metadata' ? refused.metadata : `${trap.origin}/stolen`;
      response.writeHead(302, { location }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, ALLOWED_HOST, resolve));
    redirectorOrigin = `http://${ALLOWED_HOST}:${(redirector.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    redirector.closeAllConnections();
    await new Promise((resolve) => redirector.close(resolve));
    await trap.close();
    await sut.close();
  });

  const register = (id: string, url: string) =>
    sut.http
      .post('/api/v1/services')
      .set(...bearer(process.env.STEPWISE_ADMIN_TOKEN as string))
      .send({ id, name: id, mfaCapability: 'not-ready', connector: { type: 'webhook', url } });

  it('refuses every non-allow-listed, link-local or disguised loopback target at registration', async () => {
    for (const [id, url] of Object.entries(refused)) {
      const res = await register(`reg-${id}`, url);
      expect({ id, status: res.status }).toEqual({ id, status: 400 });
      expect(res.body.message).toMatch(/connector\.url: refused/);
    }
    await register('reg-allowed', `${redirectorOrigin}/hook`).expect(201);
  });

  it('refuses them again at delivery (rebinding, allowlist changed since), audited, never retried', async () => {
    const ids = Object.keys(refused);
    await insertPolicy(sut.db);
    await insertWebhookServices(sut.db, [
      ...ids.map((id) => ({ id, url: refused[id] })),
      { id: 'redirect-loopback', url: `${redirectorOrigin}/to-loopback` },
      { id: 'redirect-metadata', url: `${redirectorOrigin}/to-metadata` },
    ]);
    await publishRevision(sut.db, 'mfa', 1, [enforcingPhase('step-1', new Date(Date.now() - 1000), ids)]);
    worker = startProcess('dist/apps/worker/src/main.js', { LOG_LEVEL: 'info' });
    await worker.waitFor('stepwise-worker ready');

    const failures = await waitFor('an apply-failed audit per refused target', async () => {
      const rows = await sut.db.query<{ resource_id: string; reason: string }>(
        `SELECT resource_id, reason FROM audit_events WHERE action = 'rules.apply-failed'`,
      );
      return rows.length >= ids.length ? rows : null;
    });
    expect(failures.map((row) => row.resource_id).sort()).toEqual([...ids].sort());
    for (const row of failures) {
      expect(row.reason).toMatch(/ESSRF_REFUSED|refused/);
    }
    const states = await rulesStates(sut.db);
    for (const id of ids) {
      expect({ id, attempts: states.get(id)?.delivery_attempts }).toEqual({ id, attempts: 1 });
    }
    // No retry job was queued for any of them.
    const queue = new Queue(QueueName.Delivery, { connection: { port: 6379 }, prefix: sut.redisPrefix });
    for (const id of ids) {
      expect({ id, job: await queue.getJob(`deliver-${id}-1`) }).toEqual({ id, job: undefined });
    }
    await queue.close();
  });

  it('does not follow a redirect to a refused address', async () => {
    await waitFor('both redirects retried', async () => {
      const states = await rulesStates(sut.db);
      return ['redirect-loopback', 'redirect-metadata'].every(
        (id) => (states.get(id)?.delivery_attempts ?? 0) >= 2,
      );
    });
    const states = await rulesStates(sut.db);
    expect(states.get('redirect-loopback')?.last_error).toBe('receiver answered HTTP 302');
    expect(states.get('redirect-metadata')?.last_error).toBe('receiver answered HTTP 302');
    expect(trap.received).toEqual([]);
  });
});
