import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import {
  ConsoleUnderTest,
  csrfOf,
  fetchFromPage,
  newPage,
  signIn,
  startConsole,
} from './support/console-browser';

// The console as people use it: the real API process, the in-process identity provider, real
// PostgreSQL and Redis, and Debian's Chromium.

describe('Console', () => {
  let sut: ConsoleUnderTest;

  beforeAll(async () => {
    sut = await startConsole();
  }, 120_000);

  afterAll(async () => {
    await sut?.close();
  });

  const withPage = async (language: 'en' | 'ja', run: (page: Page) => Promise<void>) => {
    const { context, page } = await newPage(sut, language);
    try {
      await run(page);
    } finally {
      await context.close();
    }
  };

  it('lets planner A draft revision 3 resuming step 3, and planner B approve and publish it', async () => {
    await withPage('en', async (page) => {
      await signIn(sut, page, 'aiko', '/policies/mfa-mandatory/revisions/2/edit');
      await page.getByLabel('Summary', { exact: true }).fill('Resume step 3 on 1 April 2027');
      await page.getByLabel('Reason', { exact: true }).fill('Student adoption reached the target');
      const step3 = page.locator('fieldset.phase', { hasText: 'step-3' });
      await step3.getByLabel('Confirmed date', { exact: true }).check();
      await step3.getByRole('textbox', { name: 'Confirmed date' }).fill('2027-04-01');
      await step3.getByRole('combobox', { name: /^State/ }).selectOption('active');
      await step3.getByLabel('Why (for suspended or cancelled)').fill('');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.waitForURL(/\/policies\/mfa-mandatory\/revisions\/3$/);
      // The impact names ECCS Cloud Email only: the other MFA-ready systems are enforced already.
      const impact = page.locator('table.impact tbody tr');
      await impact.first().waitFor();
      const services = new Set(await page.locator('table.impact tbody tr td:first-child').allInnerTexts());
      expect([...services]).toEqual(['eccs-cloud-email']);
      await page.getByRole('button', { name: 'Submit for approval' }).click();
      await page.getByText('Done.').waitFor();
      await page
        .getByRole('heading', { name: /Revision 3/ })
        .getByText('Submitted')
        .waitFor();
      expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
      // The API refuses A as well (four-eyes), whatever the page shows.
      const own = await fetchFromPage(page, '/api/v1/policies/mfa-mandatory/revisions/3/approve', {
        method: 'POST',
        csrf: await csrfOf(page),
        body: {},
      });
      expect(own.status).toBe(403);
    });
    await withPage('en', async (page) => {
      await signIn(sut, page, 'ben', '/policies/mfa-mandatory/revisions/3');
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByRole('button', { name: 'Publish now' }).click();
      await page
        .getByRole('heading', { name: /Revision 3/ })
        .getByText('Published')
        .waitFor();
      await page.goto(`${sut.base}/timeline?q=eccs`);
      const row = page.locator('.row', { hasText: 'eccs-cloud-email' });
      await row.locator('button.band.level-enforced').first().waitFor();
      const labels = await row
        .locator('button.band.level-enforced')
        .evaluateAll((bands) => bands.map((band) => band.getAttribute('aria-label')));
      expect(labels.join('\n')).toMatch(/Enforced, 2027-04-01/);
      await page.locator('.marker.revision', { hasText: 'r3' }).waitFor({ state: 'attached' });
    });
    await withPage('en', async (page) => {
      await signIn(sut, page, 'daisuke', '/audit?resourceType=revision&resourceId=mfa-mandatory%2F3');
      await page.locator('table.audit tbody tr').first().waitFor();
      const actors = await page.locator('table.audit tbody tr td:nth-child(3)').allInnerTexts();
      const joined = actors.join('\n');
      expect(joined).toContain('Aiko Tanaka');
      expect(joined).toContain('Ben Sato');
    });
  });

  it('shows the UTAS owner UTAS only, and another service as a 403 page', async () => {
    await withPage('en', async (page) => {
      await signIn(sut, page, 'chika');
      await page.getByRole('heading', { name: 'My services' }).waitFor();
      // The heading comes first; the list once the services are loaded.
      await page.locator('.cards li').first().waitFor();
      expect(await page.locator('.cards li').allInnerTexts()).toEqual([expect.stringContaining('utas')]);
      await page.goto(`${sut.base}/services/utas`);
      await page.getByRole('heading', { name: 'Required now' }).waitFor();
      // The calendar feed: a link of the owner's own that a calendar client reads without a session.
      await page.getByRole('button', { name: 'Show my feed link' }).click();
      const feedUrl = await page.getByRole('textbox', { name: 'Calendar feed' }).inputValue();
      const feed = await fetch(feedUrl);
      expect(feed.status).toBe(200);
      expect(await feed.text()).toContain('BEGIN:VCALENDAR');
      const [token] = await sut.db.query<{ role: string; services: string[] }>(
        "SELECT role, services FROM api_tokens WHERE name LIKE 'calendar feed of %#chika'",
      );
      expect(token).toEqual({ role: 'service-owner', services: ['utas'] });
      await page.goto(`${sut.base}/services/utokyo-vpn`);
      await page.getByRole('heading', { name: 'Not yours to see' }).waitFor();
      expect(await page.getByRole('link', { name: 'Timeline' }).count()).toBe(0);
    });
  });

  it('lets an auditor look at the plan as of 2024-03-15, verify the chain and download the CSV', async () => {
    await withPage('en', async (page) => {
      await signIn(sut, page, 'daisuke', '/timeline?asOf=2024-03-15&q=utas');
      const mark = page.locator('.row', { hasText: 'utas' }).locator('button.mark');
      await mark.first().waitFor();
      expect(await mark.first().innerText()).toBe('around June 2024');
      await mark.first().click();
      await page.locator('aside.details').getByText('step-4').waitFor();
      await page.goto(`${sut.base}/audit`);
      await page.getByRole('button', { name: 'Verify the chain' }).click();
      await page.getByText(/The chain is intact: \d+ events checked/).waitFor();
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: 'CSV' }).click();
      const csv = await (await download).path();
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/^seq,/);
    });
  });

  it('speaks Japanese on every page once switched, and remembers it', async () => {
    await withPage('en', async (page) => {
      await signIn(sut, page, 'ben', '/timeline');
      await page.getByLabel('Language').selectOption('ja');
      await page.getByRole('heading', { name: 'タイムライン' }).waitFor();
      const pages: [string, string][] = [
        ['/timeline', 'タイムライン'],
        ['/services/utas', '現在の要件'],
        ['/policies/mfa-mandatory/revisions', '改訂'],
        ['/policies/mfa-mandatory/revisions/2', '第2版'],
        ['/policies/mfa-mandatory/revisions/2/edit', '下書きの編集'],
        ['/directory', 'システム一覧'],
        ['/rollout', '配信状況'],
        ['/notices', 'お知らせ'],
        ['/adoption', '多要素認証の利用状況'],
      ];
      for (const [path, heading] of pages) {
        await page.goto(`${sut.base}${path}`);
        await page.getByRole('heading', { name: heading }).first().waitFor();
        expect(await page.locator('html').getAttribute('lang')).toBe('ja');
        expect(await page.getByRole('navigation', { name: 'メイン' }).innerText()).toContain('タイムライン');
      }
    });
  });

  it.each(['en', 'ja'] as const)(
    'has no serious or critical accessibility violation on any page in %s (axe-core)',
    async (language) => {
      const pages: [string, string][] = [
        ['ben', '/timeline'],
        ['ben', '/services/utas'],
        ['ben', '/policies/mfa-mandatory/revisions'],
        ['ben', '/policies/mfa-mandatory/revisions/2?against=1'],
        ['ben', '/policies/mfa-mandatory/revisions/2/edit'],
        ['ben', '/directory'],
        ['ben', '/rollout'],
        ['ben', '/notices'],
        ['ben', '/adoption'],
        ['daisuke', '/audit'],
        ['chika', '/services'],
      ];
      const found: string[] = [];
      await withPage(language, async (page) => {
        let who = '';
        for (const [login, path] of pages) {
          if (login !== who) {
            await page.context().clearCookies();
            await signIn(sut, page, login, path);
            who = login;
          } else {
            await page.goto(`${sut.base}${path}`);
          }
          await page.locator('main h1').first().waitFor();
          await page.waitForLoadState('networkidle');
          const { violations } = await new AxeBuilder({ page }).analyze();
          for (const violation of violations) {
            if (violation.impact === 'serious' || violation.impact === 'critical') {
              found.push(
                `${language} ${path}: ${violation.id} (${violation.nodes.length}) ${violation.help}`,
              );
            }
          }
        }
      });
      expect(found).toEqual([]);
    },
    240_000,
  );

  it('refuses a forged or missing CSRF token, and changes nothing', async () => {
    await withPage('en', async (page) => {
      await signIn(sut, page, 'ben', '/directory');
      const body = { id: 'csrf-probe', name: 'Probe', mfaCapability: 'ready', connector: { type: 'pull' } };
      for (const csrf of [null, 'forged-token-value']) {
        const answer = await fetchFromPage(page, '/api/v1/services', { method: 'POST', csrf, body });
        expect(answer).toMatchObject({ status: 403, body: { code: 'CSRF_TOKEN_INVALID' } });
      }
      expect(await sut.db.query("SELECT id FROM services WHERE id = 'csrf-probe'")).toEqual([]);
      const logout = await fetchFromPage(page, '/auth/logout', {
        method: 'POST',
        csrf: 'forged-token-value',
      });
      expect(logout.status).toBe(403);
      const created = await fetchFromPage(page, '/api/v1/services', {
        method: 'POST',
        csrf: await csrfOf(page),
        body,
      });
      expect(created.status).toBe(201);
      // What a page writes, the next page shows (read-your-writes on this instance).
      await page.goto(`${sut.base}/services/csrf-probe`);
      await page.getByRole('heading', { name: 'Required now' }).waitFor();
    });
  });

  it('ends a session idle past its timeout: the next request asks to sign in again', async () => {
    await withPage('en', async (page) => {
      await sut.db.query('DELETE FROM console_sessions');
      await signIn(sut, page, 'ben', '/timeline');
      await page.getByRole('heading', { name: 'Timeline' }).waitFor();
      await sut.db.query("UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes'");
      const answer = await fetchFromPage(page, '/api/v1/services');
      expect(answer.status).toBe(401);
      await page.reload();
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      expect(await sut.db.query('SELECT 1 FROM console_sessions')).toEqual([]);
    });
  });

  it('sends a person back only to the console’s own pages after sign-in', async () => {
    await withPage('en', async (page) => {
      for (const foreign of [
        'https://evil.example/steal',
        '//evil.example/x',
        '/\\evil.example',
        '/auth/logout',
      ]) {
        await page.context().clearCookies();
        await signIn(sut, page, 'ben', foreign);
        const url = new URL(page.url());
        expect([url.origin, url.pathname]).toEqual([sut.base, '/']);
      }
    });
  });

  it('shows a person with no mapped role a 403 page, never an empty console', async () => {
    await withPage('en', async (page) => {
      await page.goto(`${sut.base}/auth/login`);
      const [response] = await Promise.all([
        page.waitForResponse((res) => new URL(res.url()).pathname === '/auth/callback'),
        page.locator('form:has(input[name="person"][value="fumi"]) button').click(),
      ]);
      expect(response.status()).toBe(403);
      await page.getByRole('heading', { name: 'No access to Stepwise' }).waitFor();
      expect(await sut.db.query("SELECT 1 FROM console_sessions WHERE person_id LIKE '%#fumi'")).toEqual([]);
    });
  });

  it('keeps unknown /api paths JSON 404s, never the console page', async () => {
    const res = await fetch(`${sut.base}/api/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const page = await fetch(`${sut.base}/timeline`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
  });
});
