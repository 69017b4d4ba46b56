import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import Redis from 'ioredis';
import { SecretBox } from '@stepwise/connectors/secret-box';
import { WebhookSender } from '@stepwise/connectors/webhook-sender';
import { WebhookTargetPolicy } from '@stepwise/connectors/webhook-target-policy';
import { startProcess } from '../test/support/processes';
import { clearRedisPrefix } from '../test/support/redis-keys';
import { cpuSeconds } from './support/process-cpu';
import {
  appliedEverywhere,
  backendCpu,
  backendCpuSince,
  CONCURRENCY,
  documents,
  measured,
  peerLoop,
  publishGeneration,
  REDIS_URL,
  seedDirectory,
  SERVICES,
  startReceiver,
  warmedUp,
  workerEnvironment,
} from './support/b3-delivery';
import { concurrently } from './support/figures';
import { createScratchDatabase } from './support/scratch-database';
import { BENCH_SECRET_KEY, boundRun } from './b2-plan-fixtures';
import { floorBeside } from './b3-durable-floor';

// B3: webhook delivery of 10,000 new generations to a local receiver through the whole delivery
// path (worker process: BullMQ jobs, state re-read and send recorded in PostgreSQL, Standard
// Webhooks signature, undici, fenced apply + audit event), against a raw undici POST loop of the
// same bodies at the same concurrency to the same receiver. Target: >= 0.7x the peer's rate.
// Each line also gives CPU per delivery (worker, its PostgreSQL backends, receiver; the bench
// process for the loops), which other load on the machine moves far less than the rates. An
// `info:` line gives the floor: the peer's loop run together with PostgreSQL alone making the same
// durable writes (b3-durable-floor.ts), which no implementation of that work can beat here.
// BENCH_WORKER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/b3' shows where the worker's time goes
// (Node refuses --cpu-prof in NODE_OPTIONS).
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

interface Stats {
  count: number;
  first: number;
  last: number;
}

async function main(): Promise<void> {
  boundRun(600);
  const db = await createScratchDatabase('b3');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const prefix = `stepwise-bench-b3-${randomBytes(3).toString('hex')}`;
  const { receiver, origin } = await startReceiver();
  const worker = startProcess(
    'dist/apps/worker/src/main.js',
    workerEnvironment(db.url, prefix, 'info'),
    [],
    WORKER_NODE_ARGS,
  );
  const workerPid = worker.child.pid as number;
  const receiverPid = receiver.child.pid as number;
  const redis = new Redis(REDIS_URL);
  try {
    await seedDirectory(client, origin);
    await worker.waitFor('stepwise-worker ready', 60_000);
    await warmedUp(client);

    await reset(origin);
    const workerCpuAtPublish = cpuSeconds(workerPid);
    await publishGeneration(client, redis, prefix, 2);
    // The refresh that computes the generations is B2's; the delivery CPU starts at the first send.
    const { workerCpu: workerCpuAtFirstSend, receiverCpu: receiverCpuAtFirstSend } = await firstSendSeen(
      origin,
      workerPid,
      receiverPid,
    );
    const backendsAtFirstSend = await backendCpu(client);
    const redisAtFirstSend = await redisCpuSeconds(redis);
    await appliedEverywhere(client, 2, SERVICES);
    const workerCpuMs = (cpuSeconds(workerPid) - workerCpuAtFirstSend) * 1000;
    const backendsCpuMs = await backendCpuSince(client, backendsAtFirstSend);
    // The whole Redis server's: nothing else should use it during a benchmark.
    const redisCpuMs = ((await redisCpuSeconds(redis)) - redisAtFirstSend) * 1000;
    const workerCpuWithRefreshMs = (cpuSeconds(workerPid) - workerCpuAtPublish) * 1000;
    const receiverCpuMs = (cpuSeconds(receiverPid) - receiverCpuAtFirstSend) * 1000;
    const [{ done }] = (
      await client.query<{ done: Date }>('SELECT max(applied_at) AS done FROM service_rules')
    ).rows;
    const stats = await receiverStats(origin);
    const oursMs = done.getTime() - stats.first;

    const bodies = await documents(client);
    const secrets = await openSecrets(client);
    await peerLoop(origin, bodies, CONCURRENCY); // warm-up of the peer's pools and JIT
    const peer = await measured(() => peerLoop(origin, bodies, CONCURRENCY));
    await senderLoop(origin, bodies, secrets); // warm-up
    const sender = await measured(() => senderLoop(origin, bodies, secrets));
    const withClaims = await floorBeside(db.url, SERVICES, true, () => peerLoop(origin, bodies, CONCURRENCY));
    const withoutClaims = await floorBeside(db.url, SERVICES, false, () =>
      peerLoop(origin, bodies, CONCURRENCY),
    );
    const rate = (ms: number): number => SERVICES / (ms / 1000);
    const perDelivery = (cpuMs: number): string => `${((cpuMs * 1000) / SERVICES).toFixed(0)} µs`;
    const line = (what: string, ms: number, cpu: string): string =>
      `  ${what}: ${ms.toFixed(0)} ms, ${rate(ms).toFixed(0)} deliveries/s, ratio ${(rate(ms) / rate(peer.ms)).toFixed(2)}x; ${cpu}\n`;
    process.stdout.write(
      `B3: ${SERVICES} deliveries, concurrency ${CONCURRENCY}, loopback receiver in its own process, 2 cores\n` +
        `  peer, raw undici POST loop of the same bodies: ${peer.ms.toFixed(0)} ms, ${rate(peer.ms).toFixed(0)} deliveries/s; ` +
        `CPU per delivery ${perDelivery(peer.cpuMs)} (bench process)\n` +
        line(
          'stepwise whole path (worker: job, claim, sign, send, fenced apply + audit; first send -> last apply committed; target >= 0.7x)',
          oursMs,
          `worker CPU per delivery ${perDelivery(workerCpuMs)} (${perDelivery(workerCpuWithRefreshMs)} with the refresh), ` +
            `PostgreSQL backends ${perDelivery(backendsCpuMs)}, Redis ${perDelivery(redisCpuMs)}, ` +
            `receiver ${perDelivery(receiverCpuMs)}`,
        ) +
        line(
          'stepwise send path alone (WebhookSender: SSRF-checked dispatcher + Standard Webhooks signature)',
          sender.ms,
          `CPU per delivery ${perDelivery(sender.cpuMs)} (bench process)`,
        ) +
        `  info: floor, the peer's loop together with PostgreSQL alone making the same durable writes ` +
        `(claims, fenced applies, audit rows; pipelined, no client work): ${withClaims.ms.toFixed(0)} ms, ` +
        `ratio ${(peer.ms / withClaims.ms).toFixed(2)}x (the writes alone ${withClaims.aloneMs.toFixed(0)} ms); ` +
        `without the claims ${withoutClaims.ms.toFixed(0)} ms, ratio ${(peer.ms / withoutClaims.ms).toFixed(2)}x ` +
        `(alone ${withoutClaims.aloneMs.toFixed(0)} ms)\n` +
        // Planning's second option: the target counting the durable work, as the floor does.
        `  info: ours against the floor with the claims (the sends and the durable writes together): ` +
        `${(withClaims.ms / oursMs).toFixed(2)}x\n`,
    );
  } finally {
    redis.disconnect();
    worker.child.kill('SIGTERM');
    receiver.child.kill('SIGTERM');
    await worker.exited(30_000).catch(() => undefined);
    await client.end();
    await clearRedisPrefix(prefix, REDIS_URL);
    await db.drop();
  }
}

/** Polls the receiver until the first send arrived; the CPU both processes had used by then. */
async function firstSendSeen(
  origin: string,
  workerPid: number,
  receiverPid: number,
): Promise<{ workerCpu: number; receiverCpu: number }> {
  for (let polls = 0; polls < 60_000; polls += 1) {
    const workerCpu = cpuSeconds(workerPid);
    const receiverCpu = cpuSeconds(receiverPid);
    if ((await receiverStats(origin)).count > 0) {
      return { workerCpu, receiverCpu };
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no send reached the receiver');
}

/** CPU seconds the Redis server has used (INFO cpu: user and system, main and other threads). */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function openSecrets(client: Client): Promise<string[]> {
  const box = new SecretBox(BENCH_SECRET_KEY);
  const { rows } = await client.query<{ enc: string }>(
    `SELECT s.webhook_secret_enc AS enc FROM service_rules r JOIN services s ON s.id = r.service_id ORDER BY r.service_id`,
  );
  return rows.map((row) => box.decrypt(row.enc));
}

/** The worker's own sender, alone: the same bodies, signed per service, at the same concurrency. */
async function senderLoop(origin: string, bodies: string[], secrets: string[]): Promise<number> {
  const sender = new WebhookSender({ policy: WebhookTargetPolicy.fromAllowlist('127.0.0.1/32') });
  const elapsed = await concurrently(bodies.length, CONCURRENCY, async (index) => {
    const result = await sender.deliver({
      url: `${origin}/hooks/${index}`,
      secret: secrets[index],
      messageId: `bench-${index}`,
      body: bodies[index],
    });
    if (result.outcome !== 'delivered') {
      throw new Error(`sender got ${JSON.stringify(result)}`);
    }
  });
  await sender.close();
  return elapsed;
}

async function reset(origin: string): Promise<void> {
  await fetch(`${origin}/reset`, { method: 'POST' });
}

async function receiverStats(origin: string): Promise<Stats> {
  return (await (await fetch(`${origin}/stats`)).json()) as Stats;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
