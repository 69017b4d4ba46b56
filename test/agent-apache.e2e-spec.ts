import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApacheInstance } from '../apps/agent/src/testing/apache-instance';
import { startWorkerProcess, waitFor } from './enforcement-fixtures';
import { CookieBrowser, type Page } from './support/cookie-browser';
import { MFA_ACR, spawnMfaProvider, type MfaProvider } from './support/mfa-identity-provider';
import { freePort, startProcess, type RunningProcess } from './support/processes';
import { ADMIN_TOKEN, bearer, startTestApi, type TestApi } from './support/test-api';

/**
 * The whole path with real parts on loopback: a planner publishes a phase one minute ahead;
 * Stepwise (API and worker) computes and pushes the service's rules at the phase's instant; the
 * agent writes Apache's include file, checks it and reloads Apache, whose mod_auth_openidc asks an
 * OpenID provider (in this process) that issues the MFA acr only after a second factor. The wait is
 * real: the worker is its own process and fires on the wall clock.
 */
const LEAD_MS = Number(process.env.AGENT_E2E_LEAD_MS ?? 60_000);
jest.setTimeout(LEAD_MS + 120_000);

const SERVICE = 'demo-portal';
const CLIENT_SECRET = randomBytes(16).toString('hex');

describe('agent + Apache + mod_auth_openidc: MFA required at a real web server, on time', () => {
  let sut: TestApi;
  let idp: MfaProvider;
  let apache: ApacheInstance;
  let agent: RunningProcess;
  let healthUrl: string;
  let phaseAt: Date;
  const started: RunningProcess[] = [];
  const admin = bearer(ADMIN_TOKEN);

  const appUrl = () => `${apache.baseUrl}/app/`;
  const isProviderAuth = (page: Page) => page.location?.startsWith(`${idp.issuer}/auth`) ?? false;
  /** Signs in from the protected page: `code` is the second factor, if the person has one. */
  const signIn = async (browser: CookieBrowser, login: string, code?: string): Promise<Page> => {
    const form = await browser.follow(appUrl());
    expect(form.url).toMatch(new RegExp(`^${idp.issuer}/interaction/`));
    return browser.follow(form.url, () => false, { form: { login, ...(code ? { code } : {}) } });
  };
  const rolloutItem = async () => {
    const res = await sut.http
      .get('/api/v1/rollout')
      .set(...admin)
      .expect(200);
    return (res.body.items as Record<string, unknown>[]).find((item) => item.service === SERVICE);
  };
  const includeFile = () => readFile(apache.includeFile, 'utf8').catch(() => '');
  let planner: [string, string];
  let approver: [string, string];
  /** Drafts, submits, approves (another planner) and publishes a revision with one phase. */
  const publishPhase = async (
    at: Date,
    enforcement: 'enforce' | 'warn' | 'report-only',
    extra: Record<string, unknown> = {},
  ) => {
    const revision = {
      summary: 'The demo portal requires MFA',
      reason: 'Announced a minute ahead',
      phases: [
        {
          key: 'step-1',
          title: 'Demo portal',
          effective: { at: at.toISOString() },
          scope: { services: [SERVICE] },
          enforcement,
          state: 'active',
          ...extra,
        },
      ],
    };
    const base = '/api/v1/policies/mfa/revisions';
    const n = (
      await sut.http
        .post(base)
        .set(...planner)
        .send(revision)
        .expect(201)
    ).body.number as number;
    await sut.http
      .post(`${base}/${n}/submit`)
      .set(...planner)
      .send({})
      .expect(200);
    await sut.http
      .post(`${base}/${n}/approve`)
      .set(...approver)
      .send({ reason: 'ok' })
      .expect(200);
    await sut.http
      .post(`${base}/${n}/publish`)
      .set(...planner)
      .send({})
      .expect(200);
  };

  beforeAll(async () => {
    const [apiPort, apachePort, agentPort, healthPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    sut = await startTestApi({
      STEPWISE_WEBHOOK_ALLOWLIST: '127.0.0.1/32',
      STEPWISE_SWEEP_INTERVAL_MS: '2000',
    });
    await sut.app.listen(apiPort, '127.0.0.1');
    idp = await spawnMfaProvider({
      clientId: SERVICE,
      clientSecret: CLIENT_SECRET,
      redirectUri: `http://127.0.0.1:${apachePort}/app/redirect_uri`,
      people: [{ login: 'aiko' }, { login: 'ben', secondFactor: '424242' }],
    });
    apache = await ApacheInstance.create(
      { issuer: idp.issuer, clientId: SERVICE, clientSecret: CLIENT_SECRET, location: '/app' },
      apachePort,
    );
    await apache.start();

    await sut.http
      .post('/api/v1/policies')
      .set(...admin)
      .send({ id: 'mfa', title: 'MFA', timezone: 'UTC', populations: ['students'] })
      .expect(201);
    const registered = await sut.http
      .post('/api/v1/services')
      .set(...admin)
      .send({
        id: SERVICE,
        name: 'Demo portal',
        mfaCapability: 'ready',
        connector: { type: 'webhook', url: `http://127.0.0.1:${agentPort}/stepwise/webhook` },
      })
      .expect(201);
    const configFile = join(apache.root, 'agent.json');
    await writeFile(
      configFile,
      JSON.stringify({
        service: SERVICE,
        mode: 'webhook',
        stepwise: {
          apiUrl: `http://127.0.0.1:${apiPort}/api/v1`,
          token: await sut.token('connector', [SERVICE]),
        },
        webhook: { listen: `127.0.0.1:${agentPort}`, secret: registered.body.connector.secret },
        health: { listen: `127.0.0.1:${healthPort}` },
        stateFile: join(apache.root, 'agent-state.json'),
        adapter: {
          type: 'apache-oidc',
          includeFile: apache.includeFile,
          location: '/app',
          mfaAcr: MFA_ACR,
          reportLog: apache.reportLog,
          testCommand: apache.testCommand,
          reloadCommand: apache.reloadCommand,
        },
      }),
    );
    healthUrl = `http://127.0.0.1:${healthPort}/health`;
    // As the `stepwise-agent` bin starts it.
    agent = startProcess('dist/apps/agent/src/main.js', {}, ['--config', configFile], ['--no-opt']);
    started.push(agent);
    await agent.waitFor('agent started');
    await startWorkerProcess(started);
  });

  afterAll(async () => {
    for (const process of started) {
      process.child.kill('SIGKILL');
    }
    await apache?.remove();
    await idp?.close();
    await sut?.close();
  });

  it('publishes a phase one minute ahead; before it, a user without MFA reaches the page', async () => {
    planner = bearer(await sut.token('planner'));
    approver = bearer(await sut.token('planner'));
    // The agent has applied what holds now (sign-in, no MFA requirement) before the lead starts,
    // so that a slow start on a loaded machine does not eat into the minute.
    await waitFor('the pre-phase rules applied by the agent', async () =>
      (await includeFile()).includes('level '),
    );
    phaseAt = new Date(Date.now() + LEAD_MS);
    await publishPhase(phaseAt, 'enforce');
    const page = await signIn(new CookieBrowser(), 'aiko');
    expect(page).toMatchObject({ status: 200, body: expect.stringContaining('Demo portal') });
    expect(await includeFile()).not.toContain('Require claim');
    expect(Date.now()).toBeLessThan(phaseAt.getTime());
  });

  it(
    'after the instant: the user without MFA is sent to step up, the user with MFA gets in, the ack shows',
    async () => {
      const aiko = new CookieBrowser();
      expect((await signIn(aiko, 'aiko')).status).toBe(200);
      await waitFor(
        'the enforced rule in Apache',
        async () => (await includeFile()).includes('level enforced'),
        LEAD_MS + 60_000,
      );
      expect(Date.now()).toBeGreaterThanOrEqual(phaseAt.getTime());
      // Apache reloads gracefully: children still on the old rule may answer meanwhile, and the
      // reload may end aiko's session (a plain sign-in, without acr_values). Step-up asks for the
      // MFA acr: wait for that.
      const stepUp = await waitFor('aiko sent to step up', async () => {
        const page = await aiko.follow(appUrl(), isProviderAuth);
        const asked = isProviderAuth(page)
          ? new URL(page.location as string).searchParams.get('acr_values')
          : null;
        return asked === MFA_ACR ? page : null;
      });
      expect(new URL(stepUp.location as string).searchParams.get('acr_values')).toBe(MFA_ACR);
      // Signing in again without a second factor gives no MFA acr: sent to step up again, never the page.
      const fresh = new CookieBrowser();
      const form = await fresh.follow(appUrl());
      const again = await fresh.follow(form.url, isProviderAuth, { form: { login: 'aiko' } });
      expect(isProviderAuth(again)).toBe(true);
      expect(again.body).not.toContain('Demo portal');

      const ben = await signIn(new CookieBrowser(), 'ben', '424242');
      expect(ben).toMatchObject({ status: 200, body: expect.stringContaining('Demo portal') });

      const item = await waitFor('the generation acknowledged in /rollout', async () => {
        const current = await rolloutItem();
        return current?.state === 'in-sync' ? current : null;
      });
      expect(item.appliedGeneration).toBe(item.desiredGeneration);
      const health = (await (await fetch(healthUrl)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({
        status: 'ok',
        service: SERVICE,
        appliedGeneration: item.appliedGeneration,
      });
    },
    LEAD_MS + 120_000,
  );

  it('keeps the enforced rule when Apache refuses the next one, shows the failure, then catches up', async () => {
    const config = await readFile(apache.configFile, 'utf8');
    // A configuration that no longer loads mod_auth_openidc fails `apache2 -t` with any rule.
    await writeFile(apache.configFile, config.replace(/^LoadModule auth_openidc.*$/m, ''));
    await publishPhase(new Date(Date.now() - 1000), 'report-only');
    const failing = await waitFor('the failed apply in /rollout', async () => {
      const current = await rolloutItem();
      return typeof current?.lastError === 'string' && current.lastError.includes('configtest')
        ? current
        : null;
    });
    expect(failing).toMatchObject({ state: 'failing' });
    expect(failing.appliedGeneration).toBeLessThan(failing.desiredGeneration as number);
    // (The file itself holds a candidate while a retried delivery is being tested: Apache is judged.)
    const health = await fetch(healthUrl);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: 'failing',
      failedGeneration: failing.desiredGeneration,
    });
    const aiko = new CookieBrowser();
    const form = await aiko.follow(appUrl());
    expect(isProviderAuth(await aiko.follow(form.url, isProviderAuth, { form: { login: 'aiko' } }))).toBe(
      true,
    );

    await writeFile(apache.configFile, config);
    const item = await waitFor(
      'the report-only rule applied on a later delivery',
      async () => {
        const current = await rolloutItem();
        return current?.state === 'in-sync' ? current : null;
      },
      90_000,
    );
    expect(item).toMatchObject({ lastError: null });
    expect(await includeFile()).toContain('level report-only');
    const page = await waitFor('aiko let in under report-only', async () => {
      const answer = await signIn(new CookieBrowser(), 'aiko');
      return answer.status === 200 ? answer : null;
    });
    expect(page.body).toContain('Demo portal');
    expect((await signIn(new CookieBrowser(), 'ben', '424242')).status).toBe(200);
    const reported = await readFile(apache.reportLog, 'utf8');
    expect(reported).toMatch(
      /report-only: aiko@\S+ without MFA \(acr urn:stepwise:test:password\) GET \/app\//,
    );
    expect(reported).not.toContain('ben@');
  });

  it('with warn, a user without MFA sees the instructions page once, then the service', async () => {
    const instructions = `${apache.baseUrl}/instructions/`;
    await publishPhase(new Date(Date.now() - 1000), 'warn', { instructionsUrl: instructions });
    await waitFor('the warn rule applied and acknowledged', async () => {
      const current = await rolloutItem();
      return current?.state === 'in-sync' && (await includeFile()).includes('level warn');
    });
    const aiko = new CookieBrowser();
    const first = await signIn(aiko, 'aiko');
    expect(first).toMatchObject({
      status: 200,
      url: instructions,
      body: expect.stringContaining('Set up MFA'),
    });
    const then = await aiko.follow(appUrl());
    expect(then).toMatchObject({ status: 200, body: expect.stringContaining('Demo portal') });
    expect(await aiko.follow(appUrl())).toMatchObject({
      status: 200,
      body: expect.stringContaining('Demo portal'),
    });
    // A user with MFA is never sent there.
    const ben = await signIn(new CookieBrowser(), 'ben', '424242');
    expect(ben).toMatchObject({ status: 200, body: expect.stringContaining('Demo portal') });
  });
});
