#!/usr/bin/env node
// Screenshots of postponement requests on the service page (docs/screenshots/postponement-*.png):
// a scratch database with the seeded plan plus a revision that resumes step 4 on 2027-04-01 with
// postponement allowed until 2027-09-30; chika (UTAS's owner) asks, ben (a planner) decides.
// Run after `npm run build`:  node scripts/postponement-screenshots.js
const { execFileSync, spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { Client } = require('pg');
const { launchChromium } = require('../dist/test/support/chromium');

const root = join(__dirname, '..');
const admin = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `stepwise_pp_shots_${process.pid}`;
const databaseUrl = admin.replace(/\/[^/]*$/, `/${name}`);
const ADMIN_TOKEN = 'screenshots-admin-token-0123456789';

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

async function call(base, token, method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Revision 3: revision 2 with step 4 resumed on 2027-04-01, postponable until 2027-09-30. */
async function publishPostponableStep4(base) {
  const aiko = (await call(base, ADMIN_TOKEN, 'POST', '/tokens', { name: 'aiko-shots', role: 'planner' }))
    .token;
  const ben = (await call(base, ADMIN_TOKEN, 'POST', '/tokens', { name: 'ben-shots', role: 'planner' }))
    .token;
  const current = await call(base, aiko, 'GET', '/policies/mfa-mandatory/revisions/2');
  const phases = current.phases.map((phase) => {
    if (phase.key !== 'step-4') return phase;
    const { stateReason: _reason, ...rest } = phase;
    return { ...rest, state: 'active', effective: { at: '2027-04-01' }, postponeUntilMax: '2027-09-30' };
  });
  const { number } = await call(base, aiko, 'POST', '/policies/mfa-mandatory/revisions', {
    summary: 'Resume step 4 on 2027-04-01; owners may ask for up to six months',
    reason: 'UTAS and UTOL vendors ship MFA in spring 2027',
    mandatory: current.mandatory,
    standingRules: current.standingRules,
    phases,
  });
  const path = `/policies/mfa-mandatory/revisions/${number}`;
  await call(base, aiko, 'POST', `${path}/submit`, {});
  await call(base, ben, 'POST', `${path}/approve`, { reason: 'ok' });
  await call(base, aiko, 'POST', `${path}/publish`, {});
}

async function signedIn(browser, base, login, language, path) {
  const context = await browser.newContext({
    locale: language === 'ja' ? 'ja-JP' : 'en-US',
    viewport: { width: 1400, height: 1300 },
  });
  const page = await context.newPage();
  await page.goto(`${base}/auth/login?returnTo=${encodeURIComponent(path)}`);
  await page.locator(`form:has(input[name="person"][value="${login}"]) button`).click();
  await page.waitForURL((url) => url.pathname === path);
  await page.locator('#postponements-heading').waitFor();
  await page.waitForLoadState('networkidle');
  return { context, page };
}

async function shot(page, file) {
  await page.screenshot({ path: join(root, 'docs/screenshots', `${file}.png`), fullPage: true });
  console.log(`docs/screenshots/${file}.png`);
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
    STEPWISE_ADMIN_TOKEN: ADMIN_TOKEN,
    STEPWISE_WORKER_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    STEPWISE_LOG_FORMAT: 'json',
  };
  execFileSync(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), 'seed'], {
    env,
    stdio: 'inherit',
  });
  const api = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], { env, stdio: 'inherit' });
  let browser = null;
  try {
    for (let i = 0; i < 120; i += 1) {
      const ok = await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await publishPostponableStep4(base);
    browser = await launchChromium();

    const owner = await signedIn(browser, base, 'chika', 'ja', '/services/utas');
    await owner.page.locator('input[name="until"]').fill('2027-07-01');
    await owner.page
      .locator('textarea[name="reason"]')
      .fill('試験期間のため、UTAS の MFA 対応は 6 月のリリースになります。');
    await owner.page.locator('form.editor button[type="submit"]').click();
    await owner.page.locator('.notice').first().waitFor();
    await owner.page.waitForLoadState('networkidle');
    await shot(owner.page, 'postponement-owner-ja');
    await owner.context.close();

    const planner = await signedIn(browser, base, 'ben', 'en', '/services/utas');
    await shot(planner.page, 'postponement-planner-en');
    await planner.page.locator('.inline-editor input').fill('Exam period; the vendor release is in June');
    await planner.page.getByRole('button', { name: 'Approve' }).click();
    await planner.page.locator('.notice').first().waitFor();
    await planner.page.reload();
    await planner.page.locator('#postponements-heading').waitFor();
    await planner.page.waitForLoadState('networkidle');
    await planner.page.locator('#next-heading').scrollIntoViewIfNeeded();
    await planner.page.screenshot({
      path: join(root, 'docs/screenshots', 'postponement-approved-en.png'),
      fullPage: true,
    });
    console.log('docs/screenshots/postponement-approved-en.png');
    await planner.context.close();
  } finally {
    if (browser) await browser.close();
    api.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 2000));
    await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
