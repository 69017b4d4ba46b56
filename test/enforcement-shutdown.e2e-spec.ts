import {
  enforcingPhase,
  insertPolicy,
  insertWebhookServices,
  publishRevision,
  startWorkerProcess,
  waitFor,
} from './enforcement-fixtures';
import {
  duplicateReceipts,
  ScriptedReceiver,
  scriptedReceiver,
  webhookIdCounts,
} from './enforcement-receivers';
import type { RunningProcess } from './support/processes';
import { clearRedisPrefix } from './support/redis-keys';
import { isolatedEnvironment } from './support/test-api';
import type { TestDatabase } from './support/test-database';

const SERVICES = Array.from({ length: 150 }, (_, index) => `t-${String(index + 1).padStart(3, '0')}`);
const CONCURRENCY = 10;

describe('SIGTERM to the worker in the middle of a fan-out', () => {
  let db: TestDatabase;
  let prefix: string;
  let receiver: ScriptedReceiver;
  let holding = true;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    ({ db, redisPrefix: prefix } = await isolatedEnvironment({
      STEPWISE_WEBHOOK_ALLOWLIST: '127.0.0.1/32',
      STEPWISE_SWEEP_INTERVAL_MS: '2000',
      STEPWISE_DELIVERY_CONCURRENCY: String(CONCURRENCY),
      STEPWISE_WEBHOOK_TIMEOUT_MS: '5000',
    }));
    receiver = await scriptedReceiver(() => (holding ? 'hold' : 200));
    await insertPolicy(db);
    await insertWebhookServices(
      db,
      SERVICES.map((id) => ({ id, url: `${receiver.origin}/${id}` })),
    );
  });

  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGKILL');
    }
    receiver.release();
    await receiver.close();
    await clearRedisPrefix(prefix);
    await db.drop();
  });

  const startWorker = (): Promise<RunningProcess> => startWorkerProcess(workers);

  it('finishes the sends in flight, starts no other, hands the rest back, and exits 0', async () => {
    await publishRevision(db, 'mfa', 1, [enforcingPhase('step-1', new Date(Date.now() - 1000), SERVICES)]);
    const first = await startWorker();
    await waitFor('every send slot held by the receiver', async () => receiver.held.length === CONCURRENCY);
    first.child.kill('SIGTERM');
    // The sends in flight are answered; with the old code, the services still waiting for a slot
    // would take the freed slots and be held in turn until the shutdown bound.
    setTimeout(() => receiver.release(200), 500);
    const { code } = await first.exited(30_000);
    expect(code).toBe(0);
    expect(receiver.received).toHaveLength(CONCURRENCY);

    holding = false;
    await startWorker();
    const applied = async () =>
      (
        await db.query<{ n: string }>('SELECT count(*) AS n FROM service_rules WHERE applied_generation = 1')
      )[0].n;
    await waitFor(
      'every service applied after the restart',
      async () => Number(await applied()) === SERVICES.length,
      60_000,
    );
    // The answered sends were applied before the exit: none was sent twice.
    expect(duplicateReceipts(webhookIdCounts([receiver]))).toBe(0);
  }, 120_000);
});
