import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DateTime } from 'luxon';
import { FixedClock } from '@stepwise/common/clock';
import { fakeOf } from '@stepwise/common/testing/fake-of';
import { TransitionsJob } from '@stepwise/queue/queue-catalogue';
import type { RefreshCycle } from './refresh-cycle';
import { TransitionsProcessor } from './transitions.processor';

describe(TransitionsProcessor.name, () => {
  const instant = DateTime.fromISO('2024-03-01T00:00:00Z');

  afterEach(() => jest.restoreAllMocks());

  it('warns of a failed job with its name, id, attempt and error', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const sut = new TransitionsProcessor(fakeOf<RefreshCycle>('RefreshCycle'), new FixedClock(instant));
    sut.onFailed(
      { name: 'sweep', id: 'repeat:sweep:1', attemptsMade: 2, opts: { attempts: 5 } } as Job,
      new Error('connect ECONNREFUSED'),
    );
    expect(warn).toHaveBeenCalledWith(
      'sweep job repeat:sweep:1 failed on attempt 2 of 5: connect ECONNREFUSED; the next sweep recomputes from the database',
    );
  });

  it("measures a transition's lateness on the injected clock and computes at the transition's instant", async () => {
    const run = jest.fn(async () => ({ trigger: 'transition' }));
    const sut = new TransitionsProcessor(
      { run } as unknown as RefreshCycle,
      new FixedClock(instant.plus({ milliseconds: 250 })),
    );
    const job = { name: TransitionsJob.Transition, data: { at: instant.toMillis() } } as unknown as Job;
    expect(await sut.process(job)).toMatchObject({ firedLateMs: 250 });
    expect(run).toHaveBeenCalledWith('transition', instant.toMillis());
  });
});
