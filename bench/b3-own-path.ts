import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import type { DeliveryResult, WebhookSender } from '@stepwise/connectors/webhook-sender';
import { clearRedisPrefix } from '../test/support/redis-keys';
import { boundRun, percentile } from './b2-plan-fixtures';
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
import { runBenchmark } from './support/figures';
import { createScratchDatabase } from './support/scratch-database';

// B3's own path, a diagnostic beside B3 (no target of its own): the worker's whole delivery path
// (BullMQ fan-out jobs, send slots, the claim, the rules document, the secret, the fenced apply
// and its audit row) with every send answered at once by a stub, so no HTTP and no signature:
// what Stepwise's own work per delivery costs, apart from the send. The worker runs in this
// process (its sender swapped for the stub); the peer is B3's, the raw undici POST loop of the same
// bodies to a loopback receiver. A ratio near or below 1 means the own path alone takes as long
// as the peer's whole delivery.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Answers every send with a 204 at once. */
const instantSender = {
  deliver: (): Promise<DeliveryResult> => Promise.resolve({ outcome: 'delivered', statusCode: 204 }),
  close: (): Promise<void> => Promise.resolve(),
} as unknown as WebhookSender;

interface Round {
  ms: number;
  nodeCpuMs: number;
  backendsCpuMs: number;
}

async function main(): Promise<void> {
  boundRun(600);
  const db = await createScratchDatabase('b3own');
  const prefix = `stepwise-bench-b3own-${randomBytes(3).toString('hex')}`;
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const { receiver, origin } = await startReceiver();
  const redis = new Redis(REDIS_URL);
  let app: INestApplicationContext | null = null;
  try {
    await seedDirectory(client, origin);
    app = await startWorker(db.url, prefix);
    await warmedUp(client);

    const rounds: Round[] = [];
    for (let generation = 2; generation < 2 + ROUNDS; generation += 1) {
      await publishGeneration(client, redis, prefix, generation);
      // The refresh that computes the generations is B2's; the CPU counted starts at the first claim.
      await firstClaim(client, generation);
      const backendsBefore = await backendCpu(client);
      const cpuBefore = process.cpuUsage();
      await appliedEverywhere(client, generation, SERVICES);
      const { user, system } = process.cpuUsage(cpuBefore);
      const backendsCpuMs = await backendCpuSince(client, backendsBefore);
      // From the first claim (B3 starts at the first send) to the last apply.
      const [{ ms }] = (
        await client.query<{ ms: number }>(
          `SELECT extract(epoch FROM max(applied_at) - min(last_attempt_at))::float * 1000 AS ms
           FROM service_rules`,
        )
      ).rows;
      rounds.push({ ms, nodeCpuMs: (user + system) / 1000, backendsCpuMs });
    }

    const bodies = await documents(client);
    await peerLoop(origin, bodies, CONCURRENCY); // warm-up of the peer's pools and JIT
    const peerRounds: { ms: number; cpuMs: number }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      peerRounds.push(await measured(() => peerLoop(origin, bodies, CONCURRENCY)));
    }

    const perDelivery = (ms: number): string => `${((ms * 1000) / SERVICES).toFixed(0)} µs`;
    const own = medianBy(rounds, (round) => round.ms);
    const peer = median(peerRounds.map((round) => round.ms));
    process.stdout.write(
      `B3 own path: ${SERVICES} deliveries, concurrency ${CONCURRENCY}, each send answered at once by a stub ` +
        `(no HTTP, no signature), worker in this process; medians of ${ROUNDS} rounds\n` +
        `  stepwise own path (jobs, slots, claim, rules document, secret, fenced apply + audit): ${own.ms.toFixed(0)} ms, ` +
        `${((SERVICES * 1000) / own.ms).toFixed(0)} deliveries/s; Node CPU per delivery ${perDelivery(own.nodeCpuMs)}, ` +
        `PostgreSQL backends ${perDelivery(own.backendsCpuMs)} (rounds: ${rounds.map((r) => r.ms.toFixed(0)).join(', ')} ms)\n` +
        `  peer, B3's raw undici POST loop of the same bodies, whole delivery: ${peer.toFixed(0)} ms, ` +
        `${((SERVICES * 1000) / peer).toFixed(0)} deliveries/s; CPU per delivery ${perDelivery(median(peerRounds.map((round) => round.cpuMs)))}\n` +
        `  ratio, the peer's whole loop to our own path without the sends: ${(peer / own.ms).toFixed(2)}x\n`,
    );
  } finally {
    await app?.close();
    receiver.child.kill('SIGTERM');
    redis.disconnect();
    await client.end();
    await clearRedisPrefix(prefix, REDIS_URL);
    await db.drop();
  }
}

/**
 * The worker's modules read their configuration as they load, so the environment is set before
 * they are imported; the webhook sender is swapped for the instant one.
 */
async function startWorker(databaseUrl: string, prefix: string): Promise<INestApplicationContext> {
  Object.assign(process.env, workerEnvironment(databaseUrl, prefix, 'warn'));
  const { WorkerModule } = await import('../apps/worker/src/worker.module');
  const { WebhookSenderProvider } = await import('../apps/worker/src/delivery/webhook-sender.provider');
  const module = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(WebhookSenderProvider)
    .useFactory({
      factory: (config: ConfigService<EnvironmentVariables, true>) => {
        const provider = new WebhookSenderProvider(config);
        Object.assign(provider, { sender: instantSender });
        return provider;
      },
      inject: [ConfigService],
    })
    .compile();
  return module.init();
}

/** Polls until the first send of `generation` was claimed. */
async function firstClaim(client: Client, generation: number): Promise<void> {
  for (let polls = 0; polls < 60_000; polls += 1) {
    const { rowCount } = await client.query(
      'SELECT 1 FROM service_rules WHERE sent_generation = $1 LIMIT 1',
      [generation],
    );
    if (rowCount !== null && rowCount > 0) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no send of generation ${generation} was claimed`);
}

const median = (values: number[]): number => percentile(values, 50);

function medianBy<T>(items: T[], by: (item: T) => number): T {
  return [...items].sort((a, b) => by(a) - by(b))[Math.floor(items.length / 2)];
}

runBenchmark(main);
