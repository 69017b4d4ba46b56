import { AuditGroupCommit, MAX_GROUP_EVENTS } from './audit-group-commit';
import { StoredUnknownError } from './was-stored';

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A writer whose transactions commit only when the test says so. */
function fakeDatabase() {
  const groups: (readonly string[])[] = [];
  const pendingCommits: (() => void)[] = [];
  const write = async (entries: readonly string[]): Promise<void> => {
    groups.push(entries);
    if (entries.includes('bad')) {
      throw new Error('refused');
    }
    if (entries.includes('lost')) {
      throw new StoredUnknownError('whether it was stored is unknown');
    }
    await new Promise<void>((resolve) => pendingCommits.push(resolve));
  };
  const commitNext = async (): Promise<void> => {
    await flush();
    pendingCommits.shift()?.();
    // One turn for the callers to be answered, one for the next group to start.
    await flush();
    await flush();
  };
  return { sut: new AuditGroupCommit<string>(write), groups, commitNext };
}

describe(AuditGroupCommit.name, () => {
  it('answers no caller before the transaction holding its events has committed', async () => {
    const { sut, groups, commitNext } = fakeDatabase();
    const answered: string[] = [];
    const burst = ['a', 'b', 'c', 'd'].map((entry) => sut.submit([entry]).then(() => answered.push(entry)));
    await flush();
    // Submitted in one turn while nothing was in flight: two transactions, in flight together.
    expect(groups).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    const late = sut.submit(['e']).then(() => answered.push('e'));
    await flush();
    expect(answered).toEqual([]);
    await commitNext();
    expect(answered).toEqual(['a', 'b']);
    // e arrived while both were in flight, so it waited for one of them to commit.
    expect(groups).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    await commitNext();
    expect(answered).toEqual(['a', 'b', 'c', 'd']);
    await commitNext();
    await Promise.all([...burst, late]);
    expect(answered).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(groups).toHaveLength(3);
  });

  it('retries a failed group one append at a time, so only the bad one fails', async () => {
    const { sut, groups, commitNext } = fakeDatabase();
    const settled = Promise.allSettled(['x', 'bad', 'y', 'z'].map((entry) => sut.submit([entry])));
    for (let i = 0; i < 4; i += 1) {
      await commitNext();
    }
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(groups).toEqual([['x', 'bad'], ['y', 'z'], ['x'], ['bad']]);
  });

  it('fails every caller of a group whose fate is unknown, and sends none of it again', async () => {
    const { sut, groups, commitNext } = fakeDatabase();
    const settled = Promise.allSettled(['x', 'lost', 'y', 'z'].map((entry) => sut.submit([entry])));
    for (let i = 0; i < 2; i += 1) {
      await commitNext();
    }
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(StoredUnknownError);
    // One attempt per group: a retry might store 'x' and 'lost' a second time.
    expect(groups).toEqual([
      ['x', 'lost'],
      ['y', 'z'],
    ]);
  });

  it('keeps one append whole and caps a group by its event count', async () => {
    const { sut, groups, commitNext } = fakeDatabase();
    const big = Array.from({ length: MAX_GROUP_EVENTS - 1 }, (_, i) => `e${i}`);
    const calls = [sut.submit(['head']), sut.submit(big), sut.submit(['p', 'q'])];
    for (let i = 0; i < 3; i += 1) {
      await commitNext();
    }
    await Promise.all(calls);
    // Half of the 2,002 events waiting is 1,001: head goes alone, the big append whole next,
    // and p and q, which would take that one past MAX_GROUP_EVENTS, after it.
    expect(groups).toEqual([['head'], big, ['p', 'q']]);
  });
});
