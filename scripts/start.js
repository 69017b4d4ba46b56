#!/usr/bin/env node
// `npm start`: migrations, the demo plan and directory, then the API and the worker side by side.
// Deployments run `npm run start:api` and `npm run start:worker` separately and scale them apart.
const { spawn, execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { Client } = require('pg');

const cli = 'dist/apps/cli/src/main.js';
const env = { ...process.env };
if (!env.STEPWISE_ADMIN_TOKEN && env.NODE_ENV !== 'production') {
  env.STEPWISE_ADMIN_TOKEN = 'stepwise-dev-admin-token';
  console.warn(
    'STEPWISE_ADMIN_TOKEN not set: using the development token "stepwise-dev-admin-token"; ' +
      'the API listens on 127.0.0.1 only while it is in use',
  );
}
if (!env.STEPWISE_WEBHOOK_ALLOWLIST && env.NODE_ENV !== 'production') {
  env.STEPWISE_WEBHOOK_ALLOWLIST = '127.0.0.1/32,localhost';
}

/** On a fresh machine the database does not exist yet: create it (the server's `postgres` db answers). */
async function ensureDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

async function main() {
  await ensureDatabase(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/stepwise');
  execFileSync(process.execPath, [cli, 'migrate'], { env, stdio: 'inherit' });
  if (existsSync('config/services') && existsSync('config/plans')) {
    execFileSync(process.execPath, [cli, 'seed'], { env, stdio: 'inherit' });
  }
  startApps();
  if (env.NODE_ENV !== 'production') void bannerWhenReady();
}

/** Once the API answers: where to go, and how to sign in, for a person at the terminal. */
async function bannerWhenReady() {
  const port = env.PORT ?? '3000';
  const base = (env.STEPWISE_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  for (let attempt = 0; attempt < 240; attempt += 1) {
    const ok = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const dev = !env.STEPWISE_OIDC_ISSUER;
  const lines = [
    '',
    '  Stepwise is running',
    `  Console    ${base}/`,
    dev
      ? '             development sign-in: pick a demo person: aiko (planner, drafts), ben (planner,\n' +
        '             approves), chika (owner of UTAS), daisuke (auditor), emi (admin), fumi (no role)'
      : `             sign in with ${env.STEPWISE_OIDC_ISSUER}`,
    `  API docs   ${base}/docs`,
    env.STEPWISE_ADMIN_TOKEN === 'stepwise-dev-admin-token'
      ? '  API token  stepwise-dev-admin-token (development; the API listens on this machine only)'
      : null,
    '  Ctrl-C stops the API and the worker.',
    '',
  ].filter((line) => line !== null);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * The two run and stop together. One that exits on its own (a crash, a kill) stops the other, is
 * named on stderr, and makes the launcher exit 1, so a supervisor that restarts on failure sees it;
 * a stop asked by a signal exits 0 when both close in time.
 */
function startApps() {
  const apps = [
    { name: 'API', child: spawn(process.execPath, ['dist/apps/api/src/main.js'], { env, stdio: 'inherit' }) },
    {
      name: 'worker',
      child: spawn(process.execPath, ['dist/apps/worker/src/main.js'], { env, stdio: 'inherit' }),
    },
  ];
  let stopping = false;
  let exitCode = 0;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const { child } of apps)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const { name, child } of apps) {
    child.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(
          `stepwise: the ${name} exited on its own (${signal ?? `code ${code}`}): stopping the other`,
        );
        exitCode = 1;
        stop();
      } else if (code !== 0 && code !== null) exitCode = exitCode || code;
      if (apps.every((app) => app.child.exitCode !== null || app.child.signalCode !== null))
        process.exit(exitCode);
    });
  }
}

main().catch((error) => {
  console.error(`stepwise failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
