import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleUnderTest, newPage, signIn, startConsole } from './support/console-browser';
import { ADMIN_TOKEN } from './support/test-api';

// The console's adoption page as people use it: a planner reads the shares gates wait for, lends
// a device and records its return, in Japanese; an auditor reads the same without the forms.

async function call(base: string, method: string, path: string, body: string, type: string) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': type },
    body,
  });
  if (!res.ok) {
    throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  }
}

describe('Console: adoption and loaned devices', () => {
  let sut: ConsoleUnderTest;

  beforeAll(async () => {
    sut = await startConsole({ STEPWISE_ADMIN_TOKEN: ADMIN_TOKEN });
    const csv = readFileSync(join(__dirname, 'fixtures/adoption/generic.csv'), 'utf8');
    await call(sut.base, 'POST', '/adoption/snapshots?format=generic', csv, 'text/csv');
  }, 120_000);

  afterAll(async () => {
    await sut?.close();
  });

  it('shows a planner each population’s shares, and lends and takes back a device, in Japanese', async () => {
    const { context, page } = await newPage(sut, 'ja');
    try {
      await signIn(sut, page, 'ben', '/adoption');
      await page.getByRole('heading', { name: '多要素認証の利用状況' }).waitFor();
      const students = page.locator('section[aria-labelledby="adoption-latest"] tr', { hasText: 'students' });
      // 26,320 of 28,000 eligible less 12 exempt: the share a gate compares.
      await expect(students.innerText()).resolves.toContain('26,320（94%）');
      await page.getByLabel('シリアル番号').fill('YK-0042');
      await page.getByLabel('借り手（仮名 ID）').fill('p-0042');
      await page.getByLabel('利用者区分', { exact: true }).fill('students');
      await page.getByLabel('返却期限').fill('2027-03-31');
      await page.getByRole('button', { name: '貸し出す' }).click();
      await page.getByText('機器 YK-0042 を貸し出しました。').waitFor();
      const loan = page.locator('section[aria-labelledby="adoption-loans"] tbody tr', { hasText: 'YK-0042' });
      await loan.getByText('貸出中').waitFor();
      await loan.getByRole('button', { name: /返却を記録/ }).click();
      await page.getByText('機器 YK-0042 が返却されました。').waitFor();
      // The notice comes first, the reloaded list after it.
      await loan.getByText('返却済み').waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows an auditor the same figures and loans, without the forms', async () => {
    const { context, page } = await newPage(sut, 'en');
    try {
      await signIn(sut, page, 'daisuke', '/adoption');
      await page.getByRole('heading', { name: 'MFA adoption' }).waitFor();
      await page
        .locator('section[aria-labelledby="adoption-loans"] tbody tr', { hasText: 'YK-0042' })
        .waitFor();
      await expect(page.getByRole('button', { name: 'Lend' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: /Mark returned/ }).count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });
});
