import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';
import { request } from 'undici';
import { SecretBox } from '@stepwise/connectors/secret-box';
import { generateWebhookSecret } from '@stepwise/connectors/webhook-secret';
import { planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import { ApacheInstance, freePort } from '../apps/agent/src/testing/apache-instance';
import { startProcess, type RunningProcess } from '../test/support/processes';
import { clearRedisPrefix } from '../test/support/redis-keys';
import { BENCH_SECRET_KEY, boundRun, percentile } from './b2-plan-fixtures';
import { createScratchDatabase } from './support/scratch-database';

// From a transition's instant to Apache serving the new rule, through the whole path: the worker
// fires the transition (a revision taking over at its publishAt), computes the rules, posts the
// webhook; the agent verifies, writes the include file, runs `apache2 -t` and a graceful reload.
// "Serving" is observed from outside: an unauthenticated GET of the protected page is redirected
// to the provider with `acr_values` (enforced) or without (none), probed every PROBE_MS.
// Peer, in the same run: at the same kind of instant a timer writes the include file and reloads
// Apache directly (no Stepwise, no agent): the floor of Apache reloading plus the probe.
// Target: p95 <= 2 s. Also the agent's memory (peak RSS, VmHWM): target <= 60 MB.
const TRANSITIONS = Number(process.env.BENCH_TRANSITIONS ?? 20);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 3_000);
const PROBE_MS = 10;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SERVICE = 'demo-portal';
/** As `npm run agent` and the `stepwise-agent` bin start it. */
const AGENT_NODE_ARGS = ['--no-opt'];

type Level = 'enforced' | 'none';
const levelAt = (k: number): Level => (k % 2 === 1 ? 'enforced' : 'none');

/** Polls Apache; resolves each expectation with the first instant the page behaves as `level`. */
class Probe {
  private stopped = false;
  readonly seen: { at: number; level: Level }[] = [];
  constructor(private readonly url: string) {}

  async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const response = await request(this.url, { headers: { accept: 'text/html' }, reset: true });
        await response.body.dump();
        const location = String(response.headers.location ?? '');
        this.seen.push({ at: Date.now(), level: location.includes('acr_values=') ? 'enforced' : 'none' });
      } catch {
        // A connection closed by the graceful reload: the next probe tells.
      }
      await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
    }
  }
  stop(): void {
    this.stopped = true;
  }
  /** ms from `instant` to the first probe at or after it that shows `level`. */
  latency(instant: number, level: Level): number {
    const hit = this.seen.find((sample) => sample.at >= instant && sample.level === level);
    return hit === undefined ? Number.POSITIVE_INFINITY : hit.at - instant;
  }
}

async function main(): Promise<void> {
  boundRun(60 + (TRANSITIONS * GAP_MS * 2) / 1000 + 60);
  const db = await createScratchDatabase('agent');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const prefix = `stepwise-bench-agent-${randomBytes(3).toString('hex')}`;
  const redis = new Redis(REDIS_URL);
  const started: RunningProcess[] = [];
  const [apachePort, agentPort, healthPort] = [await freePort(), await freePort(), await freePort()];
  const idp = startProcess('dist/test/support/mfa-identity-provider.main.js', {}, [
    JSON.stringify({
      clientId: SERVICE,
      clientSecret: 'bench',
      redirectUri: `http://127.0.0.1:${apachePort}/app/redirect_uri`,
      people: [{ login: 'aiko' }],
    }),
  ]);
  started.push(idp);
  await idp.waitFor(/mfa provider listening at/);
  const issuer = /mfa provider listening at (\S+)/.exec(idp.output())?.[1] as string;
  const apache = await ApacheInstance.create(
    { issuer, clientId: SERVICE, clientSecret: 'bench', location: '/app' },
    apachePort,
  );
  try {
    await apache.start();
    const secret = generateWebhookSecret();
    await client.query(
      `INSERT INTO policies (id, title, timezone, populations, require_approval) VALUES ('mfa', 'MFA', 'UTC', '{students}', false)`,
    );
    await client.query(
      `INSERT INTO services (id, name, connector_type, webhook_url, webhook_secret_enc) VALUES ($1, $1, 'webhook', $2, $3)`,
      [
        SERVICE,
        `http://127.0.0.1:${agentPort}/stepwise/webhook`,
        new SecretBox(BENCH_SECRET_KEY).encrypt(secret),
      ],
    );
    const configFile = join(apache.root, 'agent.json');
    await writeFile(
      configFile,
      JSON.stringify({
        service: SERVICE,
        mode: 'webhook',
        // Failures are not expected here; the agent would report them to this (absent) API.
        stepwise: { apiUrl: 'http://127.0.0.1:9/api/v1', token: 'unused' },
        webhook: { listen: `127.0.0.1:${agentPort}`, secret },
        health: { listen: `127.0.0.1:${healthPort}` },
        stateFile: join(apache.root, 'agent-state.json'),
        adapter: {
          type: 'apache-oidc',
          includeFile: apache.includeFile,
          location: '/app',
          reportLog: apache.reportLog,
          testCommand: apache.testCommand,
          reloadCommand: apache.reloadCommand,
        },
      }),
    );
    // AGENT_NODE_ARGS (space-separated) tries other flags.
    const nodeArgs = (process.env.AGENT_NODE_ARGS ?? AGENT_NODE_ARGS.join(' ')).split(' ').filter(Boolean);
    const agent = startProcess('dist/apps/agent/src/main.js', {}, ['--config', configFile], nodeArgs);
    started.push(agent);
    await agent.waitFor('agent started');
    // Revision 1 (no phase) now; revision k+1 takes over at start + k * GAP, alternately adding a
    // phase that enforces MFA (in force since 2020) and dropping it.
    const start = Date.now() + 8_000;
    const instants = Array.from({ length: TRANSITIONS }, (_, index) => start + index * GAP_MS);
    const phase = {
      key: 'step-1',
      title: 'step-1',
      effective: { at: '2020-01-01T00:00:00Z' },
      scope: { services: [SERVICE] },
      enforcement: 'enforce',
      state: 'active',
    };
    for (let number = 1; number <= TRANSITIONS + 1; number += 1) {
      const publishAt = number === 1 ? new Date(Date.now() - 1_000) : new Date(instants[number - 2]);
      await client.query(
        `INSERT INTO revisions (policy_id, number, status, summary, reason, publish_at, plan, base_revision, author_id, author_name, published_at)
         VALUES ('mfa', $1, 'published', 'bench', 'bench', $2, $3, $4, 'bench', 'bench', now())`,
        [
          number,
          publishAt,
          JSON.stringify({
            phases: levelAt(number - 1) === 'enforced' && number > 1 ? [phase] : [],
            standingRules: [],
          }),
          number > 1 ? number - 1 : null,
        ],
      );
    }
    await client.query(`UPDATE policies SET latest_published = $1 WHERE id = 'mfa'`, [TRANSITIONS + 1]);
    const worker = startProcess('dist/apps/worker/src/main.js', {
      DATABASE_URL: db.url,
      REDIS_URL,
      STEPWISE_REDIS_PREFIX: prefix,
      STEPWISE_SECRET_KEY: BENCH_SECRET_KEY,
      STEPWISE_WEBHOOK_ALLOWLIST: '127.0.0.1/32',
      STEPWISE_WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    });
    started.push(worker);
    await worker.waitFor('stepwise-worker ready', 60_000);
    await redis.publish(planChangedChannel(REDIS_URL, prefix), JSON.stringify({ kind: 'policy', id: 'mfa' }));

    const probe = new Probe(`${apache.baseUrl}/app/`);
    const probing = probe.run();
    await new Promise((resolve) => setTimeout(resolve, instants[instants.length - 1] - Date.now() + GAP_MS));
    const ours = instants.map((instant, index) => probe.latency(instant, levelAt(index + 1)));

    // The peer: the same reloads without Stepwise or the agent.
    const peerStart = Date.now() + 500;
    const peerInstants = instants.map((_, index) => peerStart + index * (GAP_MS / 2));
    for (const [index, instant] of peerInstants.entries()) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, instant - Date.now())));
      const level = levelAt(index + 1);
      await writeFile(apache.includeFile, peerRule(level));
      await execute(apache.testCommand);
      await execute(apache.reloadCommand);
    }
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    probe.stop();
    await probing;
    const peer = peerInstants.map((instant, index) => probe.latency(instant, levelAt(index + 1)));

    const status = await readFile(`/proc/${agent.child.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    const p95 = percentile(ours, 95);
    const peerP95 = percentile(peer, 95);
    const figures = {
      transitions: TRANSITIONS,
      ourMs: { p50: percentile(ours, 50), p95, max: Math.max(...ours) },
      peerMs: { p50: percentile(peer, 50), p95: peerP95, max: Math.max(...peer) },
      ratioP95: Number((p95 / peerP95).toFixed(2)),
      agentRssMb: Number((kb('VmRSS') / 1024).toFixed(1)),
      agentPeakRssMb: Number((kb('VmHWM') / 1024).toFixed(1)),
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    process.stdout.write(
      `transition → Apache serving the new rule: p95 ${p95} ms (target ≤ 2000 ms: ${p95 <= 2000 ? 'met' : 'MISSED'}); ` +
        `peer (direct reload) p95 ${peerP95} ms; agent peak RSS ${figures.agentPeakRssMb} MB (target ≤ 60 MB: ${figures.agentPeakRssMb <= 60 ? 'met' : 'MISSED'})\n`,
    );
  } finally {
    for (const process of started) {
      process.child.kill('SIGKILL');
    }
    await apache.remove();
    redis.disconnect();
    await clearRedisPrefix(prefix);
    await client.end();
    await db.drop();
  }
}

function peerRule(level: Level): string {
  return level === 'enforced'
    ? `<Location "/app">\n  AuthType openid-connect\n  OIDCPathAuthRequestParams acr_values=https%3A%2F%2Frefeds.org%2Fprofile%2Fmfa\n  Require claim acr:https://refeds.org/profile/mfa\n</Location>\n`
    : `<Location "/app">\n  AuthType openid-connect\n  Require valid-user\n</Location>\n`;
}

async function execute(argv: string[]): Promise<void> {
  await promisify(execFile)(argv[0], argv.slice(1));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
