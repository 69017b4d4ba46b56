import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/common/clock';
import { DESIRED_STATE_LOCK_KEY } from '@stepwise/enforcement/desired-state.refresher';
import { ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';
import {
  QueueName,
  transitionJobId,
  TransitionPayload,
  TransitionsJob,
} from '@stepwise/queue/queue-catalogue';

/** The nearest instants kept as delayed jobs; later ones are added by later sweeps. */
const MAX_SCHEDULED = 1000;

const TRANSITION_JOB_ID = /^transition-(\d+)$/;

/**
 * One delayed `transition` job per future instant at which some service's rules change, with a
 * deterministic jobId (adding one twice queues it once). Refreshes add the instants they reveal;
 * the sweep rebuilds the whole set from PostgreSQL, adding what Redis lost and removing jobs no
 * longer wanted (a publication moved or cancelled a phase). Redis holds only a cache of this set.
 */
@Injectable()
export class TransitionScheduler {
  private readonly logger = new Logger(TransitionScheduler.name);

  constructor(
    @InjectQueue(QueueName.Transitions) private readonly queue: Queue<TransitionPayload>,
    private readonly dataSource: DataSource,
    private readonly repository: ServiceRulesRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Under the refreshes' lock, so that no refresh commits between reading the wanted set and
   * removing a job: a removal can only follow from what PostgreSQL holds.
   */
  async reconcile(): Promise<{ added: number; removed: number }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [DESIRED_STATE_LOCK_KEY]);
      const wanted = new Set(await this.repository.findUpcomingChangeInstants(manager, MAX_SCHEDULED));
      const present = new Set<number>();
      let removed = 0;
      for (const job of await this.queue.getDelayed()) {
        const match = TRANSITION_JOB_ID.exec(job.id ?? '');
        if ((job.name as TransitionsJob) !== TransitionsJob.Transition || match === null) {
          continue;
        }
        const at = Number(match[1]);
        if (wanted.has(at)) {
          present.add(at);
        } else {
          // It may have been promoted meanwhile; then it runs, finds nothing changed, and is harmless.
          removed += await job.remove().then(
            () => 1,
            () => 0,
          );
        }
      }
      const missing = [...wanted].filter((at) => !present.has(at));
      await this.schedule(missing);
      if (missing.length > 0 || removed > 0) {
        this.logger.log(`transitions rebuilt: +${missing.length} -${removed} (${wanted.size} wanted)`);
      }
      return { added: missing.length, removed };
    });
  }

  /** Adds a delayed job per instant; one already there is left alone. */
  async schedule(instants: readonly number[]): Promise<void> {
    const now = this.clock.nowMs();
    await this.queue.addBulk(
      instants.slice(0, MAX_SCHEDULED).map((at) => ({
        name: TransitionsJob.Transition,
        data: { at },
        opts: {
          jobId: transitionJobId(at),
          delay: Math.max(0, at - now),
          attempts: 3,
          removeOnComplete: true,
          removeOnFail: { count: 100 },
        },
      })),
    );
  }
}
