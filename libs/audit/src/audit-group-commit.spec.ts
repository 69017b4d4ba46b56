import type { DataSource, EntityManager } from 'typeorm';
import { AuditGroupCommit, MAX_GROUP_EVENTS } from './audit-group-commit';

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A DataSource whose transactions commit only when the test says so. */
function fakeDatabase() {
  const groups: (readonly string[])[] = [];
  const pendingCommits: (() => void)[] = [];
  const dataSource = {
    transaction: async (work: (manager: EntityManager) => Promise<void>) => {
      await work({} as EntityManager);
      await new Promise<void>((resolve) => pendingCommits.push(resolve));
    },
  } as unknown as DataSource;
  const write = async (_manager: EntityManager, entries: readonly string[]): Promise<void> => {
    groups.push(entries);
    if (entries.includes('bad')) throw new Error('refused');
  };
  const commitNext = async (): Promise<void> => {
    await flush();
    pendingCommits.shift()?.();
    await flush();
  };
  return { sut: new AuditGroupCommit<string>(dataSource, write), groups, commitNext };
}

describe(AuditGroupCommit.name, () => {
  it('answers no caller before the transaction holding its events has committed', async () => {
    const { sut, groups, commitNext } = fakeDatabase();
    const answered: string[] = [];
    const calls = ['a', 'b', 'c'].map((entry) => sut.submit([entry]).then(() => answered.push(entry)));
    await flush();
    expect(groups).toEqual([['a']]);
    expect(answered).toEqual([]);
    await commitNext();
    expect(answered).toEqual(['a']);
    // b and c arrived while a was committing, so they share the next transaction.
    expect(groups).toEqual([['a'], ['b', 'c']]);
    await commitNext();
    await Promise.all(calls);
    expect(answered).toEqual(['a', 'b', 'c']);
  });

  it('retries a failed group one append at a time, so only the bad one fails', async () => {
    const { sut, groups, commitNext } = fakeDatabase();
    const settled = Promise.allSettled(['first', 'x', 'bad', 'y'].map((entry) => sut.submit([entry])));
    for (let i = 0; i < 4; i += 1) await commitNext();
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(groups).toEqual([['first'], ['x', 'bad', 'y'], ['x'], ['bad'], ['y']]);
  });

  it('keeps one append whole and caps a group by its event count', async () => {
    const { sut, groups, commitNext } = fakeDatabase();
    const big = Array.from({ length: MAX_GROUP_EVENTS - 1 }, (_, i) => `e${i}`);
    const calls = [sut.submit(['head']), sut.submit(big), sut.submit(['p', 'q'])];
    for (let i = 0; i < 3; i += 1) await commitNext();
    await Promise.all(calls);
    expect(groups).toEqual([['head'], big, ['p', 'q']]);
  });
});
