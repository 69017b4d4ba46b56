import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { waitFor } from '../enforcement-fixtures';
import { freePort, type RunningProcess, startProcess } from './processes';
import { seedDemo } from './seed';
import { isolatedEnvironment } from './test-api';
import type { TestDatabase } from './test-database';

export interface ConsoleUnderTest {
  base: string;
  api: RunningProcess;
  db: TestDatabase;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The built API as its own process on a free loopback port, on a seeded database, with the
 * development identity provider in process, and a headless Chromium to drive it.
 */
export async function startConsole(overrides: Record<string, string> = {}): Promise<ConsoleUnderTest> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { db, redisPrefix } = await isolatedEnvironment();
  seedDemo(db.url);
  const api = startProcess('dist/apps/api/src/main.js', {
    ...process.env,
    PORT: String(port),
    STEPWISE_PUBLIC_URL: base,
    STEPWISE_REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'warn',
    ...overrides,
  });
  let browser: Browser | null = null;
  try {
    await waitFor(
      'the API ready',
      async () => (await fetch(`${base}/health/ready`).catch(() => null))?.ok,
      60_000,
      200,
    );
    browser = await launchChromium();
  } catch (error) {
    api.child.kill('SIGKILL');
    throw error;
  }
  const opened = browser;
  return {
    base,
    api,
    db,
    browser: opened,
    close: async () => {
      await opened.close();
      api.child.kill('SIGTERM');
      await api.exited(30_000).catch(() => api.child.kill('SIGKILL'));
      await db.drop();
    },
  };
}

export async function newPage(
  sut: ConsoleUnderTest,
  language: 'en' | 'ja' = 'en',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await sut.browser.newContext({
    locale: language === 'ja' ? 'ja-JP' : 'en-US',
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  return { context, page };
}

/** Signs in as a demo person through the real flow: console → /auth/login → provider → callback. */
export async function signIn(sut: ConsoleUnderTest, page: Page, login: string, path = '/'): Promise<void> {
  await page.goto(`${sut.base}/auth/login?returnTo=${encodeURIComponent(path)}`);
  await page.locator(`form:has(input[name="person"][value="${login}"]) button`).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/dev-idp') && !url.pathname.startsWith('/auth/'));
}

/** A request from the page itself, with its cookie (and the CSRF header only if given). */
export async function fetchFromPage(
  page: Page,
  path: string,
  init: { method?: string; csrf?: string | null; body?: unknown } = {},
): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ({ path, init }) => {
      const headers: Record<string, string> =
        init.body === undefined ? {} : { 'content-type': 'application/json' };
      if (init.csrf) {
        headers['x-csrf-token'] = init.csrf;
      }
      const res = await fetch(path, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        credentials: 'same-origin',
      });
      const text = await res.text();
      return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    },
    { path, init },
  );
}

export async function csrfOf(page: Page): Promise<string> {
  const session = await fetchFromPage(page, '/auth/session');
  return (session.body as { csrfToken: string }).csrfToken;
}
