import {
  announcePlanChange,
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

const SERVICES = Array.from({ length: 300 }, (_, index) => `k-${String(index + 1).padStart(3, '0')}`);
const CONCURRENCY = 20;
/** Sends of generation 2 answered before the receivers start holding requests. */
const ANSWERED_BEFORE_HOLD = 60;

describe('kill -9 of the worker in the middle of a fan-out', () => {
  let db: TestDatabase;
  let prefix: string;
  const receivers: ScriptedReceiver[] = [];
  const workers: RunningProcess[] = [];
  let mode: 'answer' | 'hold-after' = 'answer';
  let answeredBeforeHold = 0;

  const startWorker = (): Promise<RunningProcess> => startWorkerProcess(workers);
  const applied = async (): Promise<Map<string, number>> => {
    const rows = await db.query<{ service_id: string; applied_generation: number }>(
      'SELECT service_id, applied_generation FROM service_rules',
    );
    return new Map(rows.map((row) => [row.service_id, row.applied_generation]));
  };
  const allApplied = (generation: number) => async () => {
    const states = await applied();
    return SERVICES.every((id) => states.get(id) === generation);
  };

  beforeAll(async () => {
    ({ db, redisPrefix: prefix } = await isolatedEnvironment({
      STEPWISE_WEBHOOK_ALLOWLIST: '127.0.0.1/32',
      STEPWISE_SWEEP_INTERVAL_MS: '2000',
      STEPWISE_DELIVERY_CONCURRENCY: String(CONCURRENCY),
      STEPWISE_WORKER_METRICS_PORT: '0',
      // Sends cut off by the kill hold their lease for this plus a margin before anyone resends.
      STEPWISE_WEBHOOK_TIMEOUT_MS: '3000',
    }));
    for (let index = 0; index < 3; index += 1) {
      receivers.push(
        await scriptedReceiver((_n, request) => {
          if (mode === 'answer' || !String(request.headers['webhook-id']).endsWith('-2')) {
            return 200;
          }
          answeredBeforeHold += 1;
          return answeredBeforeHold <= ANSWERED_BEFORE_HOLD ? 200 : 'hold';
        }),
      );
    }
    await insertPolicy(db);
    await insertWebhookServices(
      db,
      SERVICES.map((id, index) => ({ id, url: `${receivers[index % 3].origin}/${id}` })),
    );
  });

  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGKILL');
    }
    for (const receiver of receivers) {
      await receiver.close();
    }
    await clearRedisPrefix(prefix);
    await db.drop();
  });

  it('reaches every desired generation after a restart, never moves backwards, and counts duplicates exactly', async () => {
    const past = new Date(Date.now() - 1000);
    await publishRevision(db, 'mfa', 1, [enforcingPhase('step-1', past, SERVICES)]);
    const first = await startWorker();
    await waitFor('generation 1 applied everywhere', allApplied(1), 60_000);

    // Generation 2 fans out; once every send slot waits on a held request, the worker dies.
    mode = 'hold-after';
    await publishRevision(db, 'mfa', 2, [enforcingPhase('step-1', past, SERVICES)]);
    await announcePlanChange(prefix);
    // Applies are group-committed after their 2xx: wait for those of the answered sends too, so
    // that exactly the held sends are cut off (an answered send not yet applied would be repeated
    // as well, and counted, but the count asserted below would then depend on timing).
    await waitFor(
      'every send slot held by a receiver, every answered send applied',
      async () =>
        receivers.reduce((sum, receiver) => sum + receiver.held.length, 0) === CONCURRENCY &&
        [...(await applied()).values()].filter((generation) => generation === 2).length ===
          ANSWERED_BEFORE_HOLD,
      60_000,
      20,
    );
    first.child.kill('SIGKILL');
    await first.exited();
    mode = 'answer';
    const unappliedAtKill = [...(await applied()).values()].filter((generation) => generation < 2).length;

    // Sample applied generations all along: none may ever go down.
    const highest = new Map<string, number>();
    const backwards: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const [id, generation] of await applied()) {
          if (generation < (highest.get(id) ?? 0)) {
            backwards.push(`${id}: ${highest.get(id)} -> ${generation}`);
          }
          highest.set(id, Math.max(generation, highest.get(id) ?? 0));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    await startWorker();
    await waitFor('generation 2 applied everywhere after the restart', allApplied(2), 90_000);
    await publishRevision(db, 'mfa', 3, [enforcingPhase('step-1', past, SERVICES)]);
    await announcePlanChange(prefix);
    await waitFor('generation 3 applied everywhere', allApplied(3), 60_000);
    sampling = false;
    await sampler;

    const counted = Number(
      (await db.query<{ n: string }>('SELECT sum(duplicate_deliveries) AS n FROM service_rules'))[0].n,
    );
    const seen = duplicateReceipts(webhookIdCounts(receivers));
    process.stdout.write(
      `kill test: killed with ${unappliedAtKill}/${SERVICES.length} generation-2 deliveries unapplied ` +
        `(${CONCURRENCY} in flight); duplicate deliveries counted by ` +
        `the worker: ${counted}, duplicate webhook-ids seen by the receivers: ${seen}\n`,
    );
    expect(backwards).toEqual([]);
    expect(counted).toBeGreaterThanOrEqual(0);
    expect(counted).toBe(seen);
    // Every send the kill cut off reached its receiver, so each was repeated once after the restart.
    expect(seen).toBe(CONCURRENCY);
  }, 180_000);
});
