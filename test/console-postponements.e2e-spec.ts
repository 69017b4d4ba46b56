import type { Page } from 'playwright-core';
import { ConsoleUnderTest, newPage, signIn, startConsole } from './support/console-browser';
import { ADMIN_TOKEN } from './support/test-api';

// The console's postponement section as people use it: UTAS's owner asks for more time on the
// service page, a planner approves it there, and the page then shows the new date.

async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) {
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  }
  return json;
}

/** Revision 3: step 4 resumed on 2027-04-01, postponable until 2027-09-30. */
async function publishPostponableStep4(base: string): Promise<void> {
  const token = async (name: string) =>
    (await call(base, ADMIN_TOKEN, 'POST', '/tokens', { name, role: 'planner' })).token as string;
  const [aiko, ben] = [await token('aiko-api'), await token('ben-api')];
  const current = await call(base, aiko, 'GET', '/policies/mfa-mandatory/revisions/2');
  const phases = (current.phases as Record<string, unknown>[]).map((phase) => {
    if (phase.key !== 'step-4') {
      return phase;
    }
    const { stateReason: _reason, ...rest } = phase;
    return { ...rest, state: 'active', effective: { at: '2027-04-01' }, postponeUntilMax: '2027-09-30' };
  });
  const { number } = await call(base, aiko, 'POST', '/policies/mfa-mandatory/revisions', {
    summary: 'Resume step 4',
    reason: 'Vendors ship MFA in spring 2027',
    mandatory: current.mandatory,
    standingRules: current.standingRules,
    phases,
  });
  const path = `/policies/mfa-mandatory/revisions/${String(number)}`;
  await call(base, aiko, 'POST', `${path}/submit`, {});
  await call(base, ben, 'POST', `${path}/approve`, { reason: 'ok' });
  await call(base, aiko, 'POST', `${path}/publish`, {});
}

describe('Console: postponement requests', () => {
  let sut: ConsoleUnderTest;

  beforeAll(async () => {
    sut = await startConsole({ STEPWISE_ADMIN_TOKEN: ADMIN_TOKEN });
    await publishPostponableStep4(sut.base);
  }, 120_000);

  afterAll(async () => {
    await sut?.close();
  });

  const asPerson = async (login: string, language: 'en' | 'ja', run: (page: Page) => Promise<void>) => {
    const { context, page } = await newPage(sut, language);
    try {
      await signIn(sut, page, login, '/services/utas');
      await page.locator('#postponements-heading').waitFor();
      await run(page);
    } finally {
      await context.close();
    }
  };

  it('shows the cap on the revision page, and offers it in the draft editor for confirmed phases', async () => {
    const { context, page } = await newPage(sut, 'en');
    try {
      await signIn(sut, page, 'aiko', '/policies/mfa-mandatory/revisions/3');
      await page.getByText('Owners may postpone it until 2027-09-30 at most').waitFor();
      await page.goto(`${sut.base}/policies/mfa-mandatory/revisions/3/edit`);
      const step4 = page.locator('fieldset.phase', { hasText: 'step-4' });
      await expect(
        step4.getByLabel('Owners may postpone it until at most (optional date)').inputValue(),
      ).resolves.toBe('2027-09-30');
    } finally {
      await context.close();
    }
  });

  it('lets UTAS’s owner ask, in Japanese, and shows the request waiting without decision buttons', async () => {
    await asPerson('chika', 'ja', async (page) => {
      await page.getByLabel('延期後の日付（ポリシーのタイムゾーン）').fill('2027-07-01');
      await page.getByLabel('延期が必要な理由').fill('試験期間のため');
      await page.getByRole('button', { name: '申請を送る' }).click();
      await page.getByText('申請 1 を送りました').waitFor();
      const row = page.locator('section:has(#postponements-heading) tbody tr');
      await expect(row.textContent()).resolves.toContain('計画担当の判断待ち');
      await expect(page.getByRole('button', { name: '承認する' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: '取り下げる' }).count()).resolves.toBe(1);
    });
  });

  it('lets a planner approve it, after which UTAS’s next change is on the new date', async () => {
    await asPerson('ben', 'en', async (page) => {
      const next = page.locator('section[aria-labelledby="next-heading"] tbody');
      await expect(next.textContent()).resolves.toContain('2027-04-01');
      await page.getByPlaceholder('Reason (required)').fill('Exam period');
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('Request 1: Approved.').waitFor();
      await page.reload();
      await page.locator('#postponements-heading').waitFor();
      await page.locator('section[aria-labelledby="next-heading"] tbody').waitFor();
      const moved = await page.locator('section[aria-labelledby="next-heading"] tbody').textContent();
      expect(moved).toContain('2027-07-01');
      expect(moved).not.toContain('2027-04-01');
    });
  });
});
