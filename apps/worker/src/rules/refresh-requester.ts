import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '@stepwise/common/clock';
import { QueueName, RefreshPayload, TransitionsJob } from '@stepwise/queue/queue-catalogue';

/** Notices within one window share one refresh. */
const COALESCE_WINDOW_MS = 200;

/**
 * Queues a refresh for the end of the current window, with that window as jobId: a burst of
 * notices (an import announces every service it touched) costs one refresh, and a notice can
 * never fold into a refresh that already started, because that one started at its window's end,
 * after every notice of its window had been published (and their changes committed).
 */
@Injectable()
export class RefreshRequester {
  constructor(
    @InjectQueue(QueueName.Transitions) private readonly queue: Queue<RefreshPayload>,
    private readonly clock: Clock,
  ) {}

  async request(reason: string): Promise<void> {
    const now = this.clock.nowMs();
    const windowEnd = (Math.floor(now / COALESCE_WINDOW_MS) + 1) * COALESCE_WINDOW_MS;
    await this.queue.add(
      TransitionsJob.Refresh,
      { reason },
      {
        jobId: `refresh-${windowEnd}`,
        delay: windowEnd - now,
        attempts: 3,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: true,
        removeOnFail: { count: 100 },
      },
    );
  }
}
