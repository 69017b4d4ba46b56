import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { Queue } from 'bullmq';
import { ConnectionErrorLog, QueueErrorListener } from './queue-error.listener';

describe('ConnectionErrorLog', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2026-12-02T00:00:00Z') });
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => {
    warn.mockRestore();
    jest.useRealTimers();
  });

  it('writes the first error at once, then at most one line per 10 s', () => {
    const log = new ConnectionErrorLog();
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    log.warn("worker 'delivery'", refused);
    for (let step = 0; step < 99; step += 1) {
      jest.advanceTimersByTime(100);
      log.warn("worker 'delivery'", refused);
    }
    expect(warn.mock.calls).toEqual([["worker 'delivery': connect ECONNREFUSED 127.0.0.1:6379"]]);
    jest.advanceTimersByTime(100);
    log.warn("queue 'system'", refused);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenLastCalledWith("queue 'system': connect ECONNREFUSED 127.0.0.1:6379");
  });

  it('listens to every queue it is given, naming the queue', () => {
    const queues = ['system', 'delivery'].map((name) => Object.assign(new EventEmitter(), { name }));
    new QueueErrorListener(queues as unknown as Queue[]);
    queues[1].emit('error', new Error('Connection is closed.'));
    expect(warn.mock.calls).toEqual([["queue 'delivery': Connection is closed."]]);
    expect(queues.map((queue) => queue.listenerCount('error'))).toEqual([1, 1]);
  });
});
