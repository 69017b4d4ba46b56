import { GroupBatcher } from './group-batcher';

interface Call {
  key: string;
  value: number;
}

/** A runner that records each group and answers each input with its value doubled. */
function recordingRunner(failWhen: (inputs: readonly Call[]) => boolean = () => false) {
  const groups: string[][] = [];
  const run = async (inputs: readonly Call[]): Promise<number[]> => {
    groups.push(inputs.map((input) => `${input.key}${input.value}`));
    await Promise.resolve();
    if (failWhen(inputs)) {
      throw new Error('refused');
    }
    return inputs.map((input) => input.value * 2);
  };
  return { run, groups };
}

describe(GroupBatcher.name, () => {
  it('runs a burst of calls made in one turn as one group, answering each its own', async () => {
    const { run, groups } = recordingRunner();
    const sut = new GroupBatcher<Call, number>({ run, keyOf: (call) => call.key });
    const answers = await Promise.all([
      sut.submit({ key: 'a', value: 1 }),
      sut.submit({ key: 'b', value: 2 }),
      sut.submit({ key: 'c', value: 3 }),
    ]);
    expect(answers).toEqual([2, 4, 6]);
    expect(groups).toEqual([['a1', 'b2', 'c3']]);
  });

  it('runs the calls that arrive while a group is in flight as the next group', async () => {
    let finishFirst = (): void => undefined;
    const groups: string[][] = [];
    const sut = new GroupBatcher<Call, number>({
      run: async (inputs) => {
        groups.push(inputs.map((input) => input.key));
        if (groups.length === 1) {
          await new Promise<void>((resolve) => (finishFirst = resolve));
        }
        return inputs.map((input) => input.value);
      },
    });
    const first = sut.submit({ key: 'a', value: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    const later = [sut.submit({ key: 'b', value: 2 }), sut.submit({ key: 'c', value: 3 })];
    expect(groups).toEqual([['a']]);
    finishFirst();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(groups).toEqual([['a'], ['b', 'c']]);
  });

  it('answers callers of a finished group before taking the next, so their next calls form one group', async () => {
    const { run, groups } = recordingRunner();
    const sut = new GroupBatcher<Call, number>({ run });
    // Closed-loop callers, as under load: each calls again as soon as it is answered.
    await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (key) => {
        for (let round = 1; round <= 3; round += 1) {
          await sut.submit({ key, value: round });
        }
      }),
    );
    expect(groups.map((group) => group.length)).toEqual([4, 4, 4]);
  });

  it('never puts two calls with one key in a group: the second waits for the next', async () => {
    const { run, groups } = recordingRunner();
    const sut = new GroupBatcher<Call, number>({ run, keyOf: (call) => call.key });
    await Promise.all([
      sut.submit({ key: 'warm', value: 0 }),
      sut.submit({ key: 'x', value: 1 }),
      sut.submit({ key: 'x', value: 2 }),
      sut.submit({ key: 'y', value: 3 }),
    ]);
    expect(groups).toEqual([['warm0', 'x1', 'y3'], ['x2']]);
  });

  it('keeps groups within the maximum size', async () => {
    const { run, groups } = recordingRunner();
    const sut = new GroupBatcher<Call, number>({ run, keyOf: (call) => call.key, maxGroup: 2 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((key) => sut.submit({ key, value: 1 })));
    expect(groups.map((group) => group.length)).toEqual([2, 2, 1]);
  });

  it('retries a failed group one call at a time, so only the bad call fails', async () => {
    const { run } = recordingRunner((inputs) => inputs.some((input) => input.key === 'bad'));
    const sut = new GroupBatcher<Call, number>({ run, keyOf: (call) => call.key });
    const first = sut.submit({ key: 'first', value: 1 });
    const results = await Promise.allSettled([
      sut.submit({ key: 'ok', value: 5 }),
      sut.submit({ key: 'bad', value: 1 }),
    ]);
    await first;
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('refused') },
    ]);
  });

  describe('with two groups in flight', () => {
    /** A runner whose groups finish only when told to, recording how many run at once. */
    function heldRunner() {
      const groups: number[][] = [];
      const finish: (() => void)[] = [];
      let running = 0;
      let mostAtOnce = 0;
      const run = async (inputs: readonly number[]): Promise<number[]> => {
        groups.push([...inputs]);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise<void>((resolve) => finish.push(resolve));
        running -= 1;
        return [...inputs];
      };
      return { run, groups, finish, mostAtOnce: () => mostAtOnce };
    }
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    it('splits what waits while none runs into two halves that run at once, in arrival order', async () => {
      const runner = heldRunner();
      const sut = new GroupBatcher<number, number>({ run: runner.run, inFlight: 2 });
      const answers = Promise.all([1, 2, 3, 4, 5].map((value) => sut.submit(value)));
      await turn();
      expect(runner.groups).toEqual([
        [1, 2, 3],
        [4, 5],
      ]);
      runner.finish.forEach((finish) => finish());
      expect(await answers).toEqual([1, 2, 3, 4, 5]);
      expect(runner.mostAtOnce()).toBe(2);
    });

    it('starts the next group as soon as one of the two finishes, with all that waits', async () => {
      const runner = heldRunner();
      const sut = new GroupBatcher<number, number>({ run: runner.run, inFlight: 2 });
      const first = Promise.all([1, 2].map((value) => sut.submit(value)));
      await turn();
      const later = Promise.all([3, 4, 5].map((value) => sut.submit(value)));
      await turn();
      expect(runner.groups).toEqual([[1], [2]]);
      runner.finish[0]();
      await turn();
      await turn();
      expect(runner.groups).toEqual([[1], [2], [3, 4, 5]]);
      runner.finish.slice(1).forEach((finish) => finish());
      expect(await first).toEqual([1, 2]);
      expect(await later).toEqual([3, 4, 5]);
      expect(runner.mostAtOnce()).toBe(2);
    });

    it('refuses keyed inputs (two groups could meet one key in either order) and nonsense', () => {
      const run = async (inputs: readonly Call[]): Promise<number[]> => inputs.map(() => 0);
      expect(() => new GroupBatcher<Call, number>({ run, keyOf: (call) => call.key, inFlight: 2 })).toThrow(
        RangeError,
      );
      expect(() => new GroupBatcher<Call, number>({ run, inFlight: 0 })).toThrow(RangeError);
    });
  });
});
