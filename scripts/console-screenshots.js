#!/usr/bin/env node
// Takes the console's screenshots in docs/screenshots: a scratch database with the seeded plan, the
// built API on a free port, Debian's Chromium. Run after `npm run build`:
//   node scripts/console-screenshots.js
const { execFileSync, spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { Client } = require('pg');
const { launchChromium } = require('../dist/test/support/chromium');

const root = join(__dirname, '..');
const admin = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `stepwise_shots_${process.pid}`;
const databaseUrl = admin.replace(/\/[^/]*$/, `/${name}`);

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function sql(statement) {
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function main() {
  await sql(`CREATE DATABASE ${name}`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    STEPWISE_PUBLIC_URL: base,
    STEPWISE_REDIS_PREFIX: name,
    STEPWISE_ADMIN_TOKEN: 'screenshots-admin-token-0123456789',
    STEPWISE_WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    STEPWISE_LOG_FORMAT: 'json',
  };
  execFileSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), 'seed'], {
    env,
    stdio: 'inherit',
  });
  const api = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], { env, stdio: 'inherit' });
  const worker = spawn(process.execPath, [join(root, 'dist/apps/worker/src/main.js')], {
    env,
    stdio: 'inherit',
  });
  const browser = await launchChromium();
  try {
    for (let i = 0; i < 120; i += 1) {
      const ok = await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const shots = [
      ['ben', 'en', '/timeline', 'timeline-en'],
      ['ben', 'ja', '/timeline', 'timeline-ja'],
      ['ben', 'en', '/timeline?asOf=2024-03-15', 'timeline-as-of-en'],
      ['chika', 'ja', '/services/utas', 'service-ja'],
      ['ben', 'en', '/services/eccs-cloud-email', 'service-en'],
      ['ben', 'en', '/policies/mfa-mandatory/revisions/2?against=1', 'revision-diff-en'],
      ['daisuke', 'en', '/audit', 'audit-en'],
      ['daisuke', 'ja', '/audit', 'audit-ja'],
      ['ben', 'en', '/notices', 'notices-en'],
      ['ben', 'ja', '/notices', 'notices-ja'],
      ['chika', 'ja', '/services/utas', 'service-contacts-ja'],
      ['ben', 'en', '/adoption', 'adoption-en'],
      ['ben', 'ja', '/adoption', 'adoption-ja'],
    ].filter(
      ([, , , file]) => !process.env.SHOTS || process.env.SHOTS.split(',').some((p) => file.startsWith(p)),
    );
    let noticesReady = false;
    let adoptionReady = false;
    for (const [login, language, path, file] of shots) {
      if (!adoptionReady && file.startsWith('adoption')) {
        await illustrativeAdoption(base, env.STEPWISE_ADMIN_TOKEN);
        adoptionReady = true;
      }
      // The notices' data (a revision 3) only after the other shots, which show the seed as it is.
      if (!noticesReady && (file.startsWith('notices') || file.startsWith('service-contacts'))) {
        await upcomingForNotices(base, env.STEPWISE_ADMIN_TOKEN);
        noticesReady = true;
      }
      const context = await browser.newContext({
        locale: language === 'ja' ? 'ja-JP' : 'en-US',
        viewport: { width: 1400, height: 900 },
      });
      const page = await context.newPage();
      await page.goto(`${base}/auth/login?returnTo=${encodeURIComponent(path)}`);
      await page.locator(`form:has(input[name="person"][value="${login}"]) button`).click();
      await page.waitForURL((url) => url.pathname === path.split('?')[0]);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(root, 'docs/screenshots', `${file}.png`) });
      console.log(`docs/screenshots/${file}.png`);
      await context.close();
    }
  } finally {
    await browser.close();
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 2000));
    await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/**
 * For the adoption page: two illustrative snapshots (not real figures: the test fixture's) and
 * two loaned devices, one of them returned.
 */
async function illustrativeAdoption(base, adminToken) {
  const { readFileSync } = require('node:fs');
  const headers = (type) => ({ authorization: `Bearer ${adminToken}`, 'content-type': type });
  const csv = readFileSync(join(root, 'test/fixtures/adoption/generic.csv'), 'utf8');
  const imported = await fetch(`${base}/api/v1/adoption/snapshots?format=generic`, {
    method: 'POST',
    headers: headers('text/csv'),
    body: csv.replace('(illustrative)', ''),
  });
  if (!imported.ok) throw new Error(`adoption import: ${imported.status} ${await imported.text()}`);
  const lend = async (serial, borrower, dueAt) => {
    const res = await fetch(`${base}/api/v1/loans`, {
      method: 'POST',
      headers: headers('application/json'),
      body: JSON.stringify({ serial, borrower, population: 'students', dueAt }),
    });
    if (!res.ok) throw new Error(`lend: ${res.status} ${await res.text()}`);
    return res.json();
  };
  await lend('YK-0001', 'p-7f3a', '2027-03-31');
  const back = await lend('YK-0002', 'p-91c2', '2027-01-31');
  await fetch(`${base}/api/v1/loans/${back.id}/return`, {
    method: 'POST',
    headers: headers('application/json'),
    body: '{}',
  });
}

/**
 * For the notices pages: contacts on UTAS and ECCS, and a revision 3 (drafted, approved by a second
 * planner, published) that warns ECCS Cloud Email in 20 days and enforces it in 60, so the worker
 * plans real notices (kept in the outbox: no SMTP here).
 */
async function upcomingForNotices(base, adminToken) {
  const call = async (token, method, path, body) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text === '' ? null : JSON.parse(text);
  };
  const planner = async (name) =>
    (await call(adminToken, 'POST', '/tokens', { name, role: 'planner' })).token;
  const [author, approver] = [await planner('shots-author'), await planner('shots-approver')];
  await call(adminToken, 'POST', '/services/utas/contacts', {
    name: '山田 花子',
    email: 'hanako.yamada@example.ac.jp',
    language: 'ja',
  });
  await call(adminToken, 'POST', '/services/eccs-cloud-email/contacts', {
    name: 'Ben Carter',
    email: 'ben.carter@example.ac.jp',
    language: 'en',
  });
  const base2 = await call(adminToken, 'GET', '/policies/mfa-mandatory/revisions/2');
  const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const scope = { services: ['eccs-cloud-email'] };
  const body = {
    summary: 'ECCS Cloud Email: warn, then enforce',
    reason: 'Example for the screenshots',
    mandatory: base2.mandatory,
    standingRules: base2.standingRules,
    phases: [
      ...base2.phases,
      {
        key: 'step-5',
        title: 'ECCS Cloud Email warns',
        effective: { at: day(20) },
        scope,
        enforcement: 'warn',
      },
      {
        key: 'step-6',
        title: 'ECCS Cloud Email enforces',
        effective: { at: day(60) },
        scope,
        enforcement: 'enforce',
      },
    ],
  };
  const draft = await call(author, 'POST', '/policies/mfa-mandatory/revisions', body);
  await call(author, 'POST', `/policies/mfa-mandatory/revisions/${draft.number}/submit`, {});
  await call(approver, 'POST', `/policies/mfa-mandatory/revisions/${draft.number}/approve`, { reason: 'ok' });
  await call(author, 'POST', `/policies/mfa-mandatory/revisions/${draft.number}/publish`, {});
  for (let i = 0; i < 60; i += 1) {
    const page = await call(adminToken, 'GET', '/notices');
    if (page.items.length >= 6) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the worker planned no notices');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
