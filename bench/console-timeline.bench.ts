import { launchChromium } from '../test/support/chromium';
import { freePort, startProcess } from '../test/support/processes';
import { clearRedisPrefix } from '../test/support/redis-keys';
import { concurrently, fmt, runBenchmark } from './support/figures';
import { createScratchDatabase } from './support/scratch-database';

// The console's timeline at 1,000 services and 3 revisions. Targets (issue 19): the timeline's data
// p95 <= 50 ms server time; the page interactive in <= 1.5 s in headless Chromium, rendering only
// the rows in view. Server time is Fastify's own `responseTime` from the API's request log (the
// client, on the same two cores, does not count); the client's round trip is printed beside it.
const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const WARM = Number(process.env.BENCH_WARM ?? 200);
const COLD = Number(process.env.BENCH_COLD ?? 40);
const ADMIN = 'bench-admin-token-0123456789';
const PREFIX = `stepwise-bench-console-${process.pid}`;

const p95 = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1];

async function main(): Promise<void> {
  const db = await createScratchDatabase('console', { seed: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = startProcess('dist/apps/api/src/main.js', {
    DATABASE_URL: db.url,
    PORT: String(port),
    STEPWISE_PUBLIC_URL: base,
    STEPWISE_ADMIN_TOKEN: ADMIN,
    STEPWISE_RATE_LIMIT_PER_MINUTE: '0',
    STEPWISE_REDIS_PREFIX: PREFIX,
    STEPWISE_LOG_FORMAT: 'json',
    // Fastify logs each answer's responseTime: the server's own time, whatever the client costs.
    LOG_LEVEL: 'info',
  });
  const browser = await launchChromium();
  try {
    for (
      let i = 0;
      i < 120 &&
      !(await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      ));
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status >= 300) {
        throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      }
      return (await res.json()) as Record<string, unknown>;
    };
    const token = async (name: string, role: string) =>
      (await call('POST', '/tokens', ADMIN, { name, role })).token as string;
    const [author, approver] = [await token('bench-a', 'planner'), await token('bench-b', 'planner')];
    const extra = Array.from(
      { length: SERVICES - 9 },
      (_, i) => `bench-system-${String(i).padStart(4, '0')}`,
    );
    await concurrently(extra.length, 16, async (index) => {
      const id = extra[index];
      await call('POST', '/services', ADMIN, {
        id,
        name: `Bench system ${index}`,
        owner: `faculty-${index % 20}`,
        tags: [`group-${index % 7}`],
        mfaCapability: index % 3 === 0 ? 'ready' : 'not-ready',
        ...(index % 3 === 0 ? { readySince: '2024-06-01' } : {}),
        connector: { type: 'pull' },
      });
    });
    const current = await call('GET', '/policies/mfa-mandatory/revisions/2', author);
    const phases = (current.phases as Record<string, unknown>[]).map((phase) =>
      phase.key === 'step-3'
        ? { ...phase, effective: { at: '2027-04-01' }, state: 'active', stateReason: undefined }
        : phase,
    );
    const draft = await call('POST', '/policies/mfa-mandatory/revisions', author, {
      summary: 'Resume step 3',
      reason: 'bench',
      mandatory: current.mandatory,
      phases,
      standingRules: current.standingRules,
    });
    const path = `/policies/mfa-mandatory/revisions/${String(draft.number)}`;
    await call('POST', `${path}/submit`, author, {});
    await call('POST', `${path}/approve`, approver, {});
    await call('POST', `${path}/publish`, approver, {});

    const timed = async (query: string): Promise<number> => {
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/timeline${query}`, {
        headers: { authorization: `Bearer ${approver}` },
      });
      const body = await res.text();
      if (res.status !== 200) {
        throw new Error(`timeline ${res.status}: ${body.slice(0, 200)}`);
      }
      return performance.now() - started;
    };
    // fetch asks for gzip and inflates; content-length is what crossed the wire.
    const sizes = async (query: string) => {
      const res = await fetch(`${base}/api/v1/timeline${query}`, {
        headers: { authorization: `Bearer ${approver}` },
      });
      return { json: (await res.text()).length, wire: Number(res.headers.get('content-length')) };
    };
    const live = await sizes('');
    const looking = await sizes('?asOf=2023-12-31');
    const bytes = live.json;
    // Fastify logs a request's URL when it comes in and its responseTime when answered, by reqId.
    const serverTimes = (): number[] => {
      const timeline = new Set<string>();
      const times: number[] = [];
      for (const line of api.output().split('\n')) {
        if (!line.startsWith('{')) {
          continue;
        }
        const entry = JSON.parse(line) as { reqId?: string; req?: { url?: string }; responseTime?: number };
        if (entry.reqId !== undefined && entry.req?.url?.startsWith('/api/v1/timeline')) {
          timeline.add(entry.reqId);
        }
        if (entry.reqId !== undefined && entry.responseTime !== undefined && timeline.has(entry.reqId)) {
          times.push(entry.responseTime);
        }
      }
      return times;
    };
    const seen = serverTimes().length;
    const warm: number[] = [];
    for (let i = 0; i < WARM; i += 1) {
      warm.push(await timed(''));
    }
    const warmServer = serverTimes().slice(seen);
    const cold: number[] = [];
    for (let i = 0; i < COLD; i += 1) {
      // Each asOf is a plan of its own: computed, not kept.
      cold.push(
        await timed(
          `?asOf=2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + Math.floor(i / 12)).padStart(2, '0')}`,
        ),
      );
    }

    const coldServer = serverTimes().slice(seen + WARM);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/auth/login?returnTo=%2F`);
    await page.locator('form:has(input[name="person"][value="ben"]) button').click();
    await page.waitForURL((url) => url.pathname === '/');
    const interactive: number[] = [];
    let rowsInDom = 0;
    for (let i = 0; i < 5; i += 1) {
      await page.goto(`${base}/timeline`);
      await page.locator('.row').first().waitFor();
      interactive.push(
        await page.evaluate(
          () => performance.getEntriesByName('stepwise:timeline-rendered')[0]?.startTime ?? NaN,
        ),
      );
      await page.locator('.rows').evaluate((element) => element.scrollTo(0, element.scrollHeight / 2));
      await page.waitForTimeout(200);
      rowsInDom = await page.locator('.row').count();
    }
    console.log(
      `console timeline, ${SERVICES} services x 3 revisions, ${fmt(bytes / 1024)} KiB a timeline; gzipped: live (level 6) ${fmt(live.wire / 1024)} KiB, asOf (level 1) ${fmt(looking.wire / 1024)} KiB of ${fmt(looking.json / 1024)} KiB`,
    );
    console.log(
      `  data, kept (same plan, asOf, day): server p95 ${fmt(p95(warmServer))} ms (client round trip p95 ${fmt(p95(warm))} ms) over ${WARM} requests (target <= 50 ms)`,
    );
    console.log(
      `  data, computed (a new asOf each):   server p95 ${fmt(p95(coldServer))} ms (client round trip p95 ${fmt(p95(cold))} ms) over ${COLD} requests (target <= 50 ms)`,
    );
    console.log(
      `  page interactive (Performance API mark): p95 ${fmt(p95(interactive))} ms over ${interactive.length} loads (target <= 1,500 ms)`,
    );
    console.log(`  rows in the page after scrolling to the middle: ${rowsInDom} of ${SERVICES}`);
  } finally {
    await browser.close();
    api.child.kill('SIGTERM');
    await api.exited(30_000).catch(() => api.child.kill('SIGKILL'));
    await clearRedisPrefix(PREFIX);
    await db.drop();
  }
}

runBenchmark(main);
