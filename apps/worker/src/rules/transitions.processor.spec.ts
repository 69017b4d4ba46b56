import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { RefreshCycle } from './refresh-cycle';
import { TransitionsProcessor } from './transitions.processor';

describe(TransitionsProcessor.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('warns of a failed job with its name, id, attempt and error', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const sut = new TransitionsProcessor({} as RefreshCycle);
    sut.onFailed(
      { name: 'sweep', id: 'repeat:sweep:1', attemptsMade: 2, opts: { attempts: 5 } } as Job,
      new Error('connect ECONNREFUSED'),
    );
    expect(warn).toHaveBeenCalledWith(
      'sweep job repeat:sweep:1 failed on attempt 2 of 5: connect ECONNREFUSED; the next sweep recomputes from the database',
    );
  });
});
