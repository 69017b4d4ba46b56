import { setTimeout as sleep } from 'node:timers/promises';
import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Clock } from '@stepwise/common/clock';
import { LoggedWorkerHost } from '@stepwise/queue/logged-worker-host';
import { QueueName, TransitionPayload, TransitionsJob } from '@stepwise/queue/queue-catalogue';
import { RefreshCycle, RefreshSummary } from './refresh-cycle';

/** A transition job promoted this much early (clock skew between hosts) waits; more is a bug. */
const MAX_EARLY_WAIT_MS = 5000;

/**
 * Handles the `transitions` queue one job at a time (refreshes also take turns on a database
 * lock, so several worker processes never interleave them either). Job names are checked
 * exhaustively.
 */
@Processor(QueueName.Transitions, { concurrency: 1 })
export class TransitionsProcessor extends LoggedWorkerHost {
  private readonly logger = new Logger(TransitionsProcessor.name);

  constructor(
    private readonly cycle: RefreshCycle,
    private readonly clock: Clock,
  ) {
    super();
  }

  /**
   * A refresh, transition or sweep that failed (the database unreachable, say) is retried while
   * it has attempts left, and whatever it missed is recomputed by the next sweep; operators see
   * each failure here.
   */
  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    const which = job
      ? `${job.name} job ${job.id ?? '?'} failed on attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}`
      : 'a job failed';
    this.logger.warn(`${which}: ${error.message}; the next sweep recomputes from the database`);
  }

  async process(job: Job): Promise<RefreshSummary> {
    const name = job.name as TransitionsJob;
    switch (name) {
      case TransitionsJob.Refresh:
        return this.cycle.run('refresh');
      case TransitionsJob.Transition:
        return this.transition(job as Job<TransitionPayload>);
      case TransitionsJob.Sweep:
        return this.cycle.run('sweep');
      default: {
        const unhandled: never = name;
        throw new Error(`no handler for job '${String(unhandled)}' on queue '${QueueName.Transitions}'`);
      }
    }
  }

  /**
   * The instant only says when to look: the rules are recomputed from the database at no
   * earlier than it, so a job that runs a hair early cannot compute the old rules again.
   */
  private async transition(job: Job<TransitionPayload>): Promise<RefreshSummary & { firedLateMs: number }> {
    const firedLateMs = this.clock.nowMs() - job.data.at;
    if (firedLateMs < 0) {
      await sleep(Math.min(-firedLateMs, MAX_EARLY_WAIT_MS));
    }
    return {
      ...(await this.cycle.run('transition', Math.min(job.data.at, this.clock.nowMs()))),
      firedLateMs,
    };
  }
}
