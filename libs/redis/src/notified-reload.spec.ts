import { Logger } from '@nestjs/common';
import { NotifiedReload } from './notified-reload';

/** A read model over `source.state`, whose loads the test lets finish one at a time. */
function readModel() {
  const source = { state: 'A' };
  const held = { state: '' };
  const pending: (() => void)[] = [];
  let loads = 0;
  const sut = new NotifiedReload({
    redisUrl: 'redis://127.0.0.1:1',
    channel: 'unused',
    connectionName: 'unused',
    logger: new Logger('test'),
    isStale: () => Promise.resolve(false),
    reload: () => {
      loads += 1;
      // A load reads the source when it starts, and completes when the test says so.
      const read = source.state;
      return new Promise<void>((resolve) =>
        pending.push(() => {
          held.state = read;
          resolve();
        }),
      );
    },
  });
  const finishLoads = async (): Promise<void> => {
    while (pending.length > 0) {
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { sut, source, held, finishLoads, loads: () => loads };
}

describe(NotifiedReload.name, () => {
  it('loads before the first read, once for concurrent readers', async () => {
    const model = readModel();
    expect(model.sut.isFresh()).toBe(false);
    const reads = Promise.all([model.sut.ensureFresh(), model.sut.ensureFresh()]);
    await model.finishLoads();
    await reads;
    expect(model.held.state).toBe('A');
    expect(model.loads()).toBe(1);
    expect(model.sut.isFresh()).toBe(true);
  });

  it('does not answer a read from a load that began before a change marked before the read', async () => {
    const model = readModel();
    const first = model.sut.ensureFresh();
    // A change commits while that load is under way, having read the old state.
    model.source.state = 'B';
    model.sut.markDirty();
    const second = model.sut.ensureFresh();
    await model.finishLoads();
    await Promise.all([first, second]);
    expect(model.held.state).toBe('B');
    expect(model.loads()).toBe(2);
  });

  it('is stale from a mark until a load that began after it completes', async () => {
    const model = readModel();
    const first = model.sut.ensureFresh();
    await model.finishLoads();
    await first;
    model.sut.markDirty();
    expect(model.sut.isFresh()).toBe(false);
    const second = model.sut.ensureFresh();
    expect(model.sut.isFresh()).toBe(false);
    await model.finishLoads();
    await second;
    expect(model.sut.isFresh()).toBe(true);
  });

  it('passes a failed load to its readers, and loads again on the next read', async () => {
    let fail = true;
    const sut = new NotifiedReload({
      redisUrl: 'redis://127.0.0.1:1',
      channel: 'unused',
      connectionName: 'unused',
      logger: new Logger('test'),
      isStale: () => Promise.resolve(false),
      reload: () => (fail ? Promise.reject(new Error('database down')) : Promise.resolve()),
    });
    await expect(sut.ensureFresh()).rejects.toThrow('database down');
    expect(sut.isFresh()).toBe(false);
    fail = false;
    await sut.ensureFresh();
    expect(sut.isFresh()).toBe(true);
  });
});
