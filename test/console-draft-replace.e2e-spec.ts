import { ConsoleUnderTest, newPage, signIn, startConsole } from './support/console-browser';
import { ADMIN_TOKEN } from './support/test-api';

// Revisions never change once stored, drafts included. A planner changes their own draft by
// starting a new one from it in the editor, which then withdraws the old one: one draft stands
// for the change, and the old one says what replaced it.

async function revision(base: string, number: number): Promise<Record<string, unknown>> {
  const created = await fetch(`${base}/api/v1/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `reader-${number}`, role: 'auditor' }),
  });
  const { token } = (await created.json()) as { token: string };
  const res = await fetch(`${base}/api/v1/policies/mfa-mandatory/revisions/${number}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('Console: changing one’s own draft', () => {
  let sut: ConsoleUnderTest;

  beforeAll(async () => {
    sut = await startConsole({ STEPWISE_ADMIN_TOKEN: ADMIN_TOKEN });
  }, 120_000);

  afterAll(async () => {
    await sut?.close();
  });

  it('saves the change as a new draft and withdraws the one it replaces', async () => {
    const { context, page } = await newPage(sut, 'en');
    try {
      await signIn(sut, page, 'aiko', '/policies/mfa-mandatory/revisions/2/edit');
      // From the active revision: nothing to replace, so no such choice.
      await expect(page.getByLabel(/^Withdraw draft/).count()).resolves.toBe(0);
      await page.getByLabel('Summary', { exact: true }).fill('Resume step 3');
      await page.getByLabel('Reason', { exact: true }).fill('Adoption reached the target');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.waitForURL(/\/revisions\/3$/);

      await page.goto(`${sut.base}/policies/mfa-mandatory/revisions/3/edit`);
      const replace = page.getByLabel('Withdraw draft 3 once this one is saved', { exact: false });
      await expect(replace.isChecked()).resolves.toBe(true);
      await page.getByLabel('Summary', { exact: true }).fill('Resume step 3 on 1 April 2027');
      // Each draft says why it is made: the editor starts with an empty reason.
      await page.getByLabel('Reason', { exact: true }).fill('The date is now known');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.waitForURL(/\/revisions\/4$/);
    } finally {
      await context.close();
    }
    await expect(revision(sut.base, 3)).resolves.toMatchObject({
      status: 'withdrawn',
      statusReason: 'Replaced by draft 4',
    });
    await expect(revision(sut.base, 4)).resolves.toMatchObject({
      status: 'draft',
      summary: 'Resume step 3 on 1 April 2027',
    });
  });

  it('offers no withdrawal when the draft is another planner’s', async () => {
    const { context, page } = await newPage(sut, 'en');
    try {
      await signIn(sut, page, 'ben', '/policies/mfa-mandatory/revisions/4/edit');
      await page.getByRole('button', { name: 'Save draft' }).waitFor();
      await expect(page.getByLabel(/^Withdraw draft/).count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });
});
