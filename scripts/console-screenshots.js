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
    ];
    for (const [login, language, path, file] of shots) {
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
