import { startProcess } from '../test/support/processes';
import { clearRedisPrefix } from '../test/support/redis-keys';
import { createScratchDatabase } from './support/scratch-database';
import { load, LoadResult, ratio } from './support/load';
import { cpuSeconds } from './support/process-cpu';

// B1: the hot reads of enforcement points and service owners against a bare Fastify route that
// answers the same JSON from a Map, in the same run, on loopback. Target: >= 0.8x the peer's
// requests/s, and p99 <= 5 ms at 80 % of the API's peak.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PREFIX = `stepwise-bench-b1-${process.pid}`;
const ADMIN = 'bench-admin-token-0123456789';
const API_PORT = 3901;
const PEER_PORT = 3902;

async function json(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; text: string; etag: string | null }> {
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text(), etag: res.headers.get('etag') };
}

async function main(): Promise<void> {
  const db = await createScratchDatabase('b1', { seed: true });
  const env = {
    DATABASE_URL: db.url,
    STEPWISE_ADMIN_TOKEN: ADMIN,
    STEPWISE_RATE_LIMIT_PER_MINUTE: '0',
    STEPWISE_REDIS_PREFIX: PREFIX,
    STEPWISE_WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  };
  const api = startProcess(
    'dist/apps/api/src/main.js',
    { ...env, PORT: String(API_PORT) },
    [],
    nodeArgs('API'),
  );
  // The worker computes every service's rules document once, then stops: the load is on the API alone.
  const worker = startProcess('dist/apps/worker/src/main.js', env);
  const peer = startProcess('dist/bench/support/peer-server.js', {}, [String(PEER_PORT)], nodeArgs('PEER'));
  try {
    await waitReady(`http://127.0.0.1:${API_PORT}/health/ready`);
    const created = await json(`http://127.0.0.1:${API_PORT}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench-owner', role: 'service-owner', services: ['utas'] }),
    });
    const token = (JSON.parse(created.text) as { token: string }).token;
    const headers = { authorization: `Bearer ${token}` };
    const rules = await until(
      () => json(`http://127.0.0.1:${API_PORT}/api/v1/services/utas/rules`, { headers }),
      (answer) => answer.status === 200 && answer.etag !== null,
    );
    worker.child.kill('SIGTERM');
    await worker.exited(30_000);
    const targets: { name: string; path: string; status: number; extraHeaders?: Record<string, string> }[] = [
      { name: 'requirements (200)', path: '/api/v1/services/utas/requirements', status: 200 },
    ];
    if (rules.status === 200 && rules.etag) {
      targets.push({ name: 'rules (200)', path: '/api/v1/services/utas/rules', status: 200 });
      targets.push({
        name: 'rules (304)',
        path: '/api/v1/services/utas/rules',
        status: 304,
        extraHeaders: { 'if-none-match': rules.etag },
      });
    } else {
      process.stdout.write(`rules endpoint answered ${rules.status}: rules rows not measured\n`);
    }
    const bodies: Record<string, string> = {};
    for (const target of targets) {
      bodies[target.path] = (await json(`http://127.0.0.1:${API_PORT}${target.path}`, { headers })).text;
    }
    peer.child.stdin?.end(JSON.stringify(bodies));
    await peer.waitFor('peer ready');
    process.stdout.write(
      `B1: ${SECONDS} s per run, ${CONNECTIONS} connections, medians of ${ROUNDS} alternating rounds, loopback, ` +
        `2 cores shared with autocannon\n`,
    );
    for (const target of targets) {
      const all = { ...headers, ...(target.extraHeaders ?? {}) };
      const run = (port: number, rate?: number): Promise<LoadResult> =>
        load({
          url: `http://127.0.0.1:${port}${target.path}`,
          headers: all,
          seconds: SECONDS,
          connections: CONNECTIONS,
          rate,
          expectStatus: target.status,
        });
      const measured = async (port: number, pid: number): Promise<Measured> => {
        const before = cpuSeconds(pid);
        const result = await run(port);
        const used = cpuSeconds(pid) - before;
        return { ...result, cpuUsPerRequest: (used * 1e6) / (result.requestsPerSecond * SECONDS) };
      };
      await run(API_PORT); // warm-up: JIT and caches
      await run(PEER_PORT);
      // Alternating rounds, medians: the machine is shared, so one pair of runs proves little.
      const rounds: { ours: Measured; theirs: Measured }[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        rounds.push({
          ours: await measured(API_PORT, api.child.pid ?? 0),
          theirs: await measured(PEER_PORT, peer.child.pid ?? 0),
        });
      }
      const ours = medianOf(rounds.map((r) => r.ours));
      const theirs = medianOf(rounds.map((r) => r.theirs));
      const at80 = await run(API_PORT, Math.floor(ours.requestsPerSecond * 0.8));
      process.stdout.write(
        `${target.name}: stepwise ${ours.requestsPerSecond.toFixed(0)} req/s, ${ours.cpuUsPerRequest.toFixed(0)} µs CPU/req ` +
          `(p99 ${ours.p99Ms} ms, unexpected ${ours.non2xx}); peer ${theirs.requestsPerSecond.toFixed(0)} req/s, ` +
          `${theirs.cpuUsPerRequest.toFixed(0)} µs CPU/req (p99 ${theirs.p99Ms} ms)\n` +
          `  ratio req/s ${ratio(ours.requestsPerSecond, theirs.requestsPerSecond)}x, ` +
          `ratio by CPU cost ${ratio(theirs.cpuUsPerRequest, ours.cpuUsPerRequest)}x (target >= 0.8); ` +
          `p99 at 80 % of peak (${Math.floor(ours.requestsPerSecond * 0.8)} req/s): ${at80.p99Ms} ms (target <= 5)\n`,
      );
    }
  } finally {
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    peer.child.kill('SIGTERM');
    await Promise.all([api.exited(30000).catch(() => undefined), peer.exited(5000).catch(() => undefined)]);
    await clearRedisPrefix(PREFIX, process.env.REDIS_URL);
    await db.drop();
  }
}

type Measured = LoadResult & { cpuUsPerRequest: number };

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Each figure's median over the rounds (unexpected answers: the total). */
const medianOf = (runs: Measured[]): Measured => ({
  requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
  cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest)),
  p50Ms: median(runs.map((r) => r.p50Ms)),
  p99Ms: median(runs.map((r) => r.p99Ms)),
  non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
  errors: runs.reduce((sum, r) => sum + r.errors, 0),
});

/** `--cpu-prof --cpu-prof-dir=/tmp/b1` in BENCH_API_NODE_ARGS (or _PEER_) shows where time goes. */
const nodeArgs = (who: 'API' | 'PEER'): string[] =>
  (process.env[`BENCH_${who}_NODE_ARGS`] ?? '').split(' ').filter(Boolean);

/** Asks again every 200 ms, for up to 60 s, until the answer is as wanted; returns the last one. */
async function until<T>(ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  let answer = await ask();
  for (let i = 0; i < 300 && !done(answer); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    answer = await ask();
  }
  return answer;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
