import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Clock } from '@stepwise/common/clock';
import { NoticeDispatcher } from '@stepwise/notices/notice-dispatcher';
import { NoticePlanner } from '@stepwise/notices/notice-planner';
import { NoticeSender, type SendOutcome } from '@stepwise/notices/notice-sender';
import { LoggedWorkerHost } from '@stepwise/queue/logged-worker-host';
import {
  NOTICE_SEND_JOB_OPTIONS,
  NoticeSendPayload,
  NoticesJob,
  QueueName,
  noticeSendJobId,
} from '@stepwise/queue/queue-catalogue';

/**
 * The notices queue. The database decides everything: a plan job plans what the live timeline
 * calls for now, a dispatch job claims what is due, a send job sends one mail unless it is sent.
 */
@Processor(QueueName.Notices, { concurrency: 4 })
export class NoticesProcessor extends LoggedWorkerHost {
  private readonly logger = new Logger(NoticesProcessor.name);

  constructor(
    @InjectQueue(QueueName.Notices) private readonly queue: Queue,
    private readonly planner: NoticePlanner,
    private readonly dispatcher: NoticeDispatcher,
    private readonly sender: NoticeSender,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as NoticesJob;
    switch (name) {
      case NoticesJob.Plan:
        return this.plan();
      case NoticesJob.Dispatch:
        return this.dispatch();
      case NoticesJob.Send:
        return this.send(job as Job<NoticeSendPayload>);
      default: {
        const unhandled: never = name;
        throw new Error(`no handler for job '${String(unhandled)}' on queue '${QueueName.Notices}'`);
      }
    }
  }

  private async plan(): Promise<{ planned: number; superseded: number; changes: number }> {
    const result = await this.planner.plan();
    if (result.planned + result.superseded > 0) {
      this.logger.log(
        `notices planned: ${result.planned} new, ${result.superseded} superseded, ${result.changes} updated or cancelled`,
      );
    }
    await this.wakeAt(result.nextDueAt);
    return result;
  }

  private async dispatch(): Promise<{ mails: number }> {
    if (!this.sender.configured) {
      const due = await this.dispatcher.pendingCount();
      if (due > 0) {
        this.logger.warn(
          `STEPWISE_SMTP_URL is not set: ${due} due notices are kept in the outbox (GET /api/v1/notices)`,
        );
      }
      return { mails: 0 };
    }
    const created = await this.dispatcher.dispatchDue(this.sender.messageIdDomain);
    // New mails, and any left unsent by a crash or an SMTP outage longer than a job's attempts.
    const unsent = await this.dispatcher.unsentMails();
    await this.queue.addBulk(
      unsent.map((mailId) => ({
        name: NoticesJob.Send,
        data: { mailId },
        opts: { ...NOTICE_SEND_JOB_OPTIONS, jobId: noticeSendJobId(mailId) },
      })),
    );
    return { mails: created.length };
  }

  private send(job: Job<NoticeSendPayload>): Promise<SendOutcome> {
    return this.sender.send(job.data.mailId);
  }

  /** A dispatch at the next due instant (the minutely one is the safety net). */
  private async wakeAt(dueAt: number | null): Promise<void> {
    if (dueAt === null) {
      return;
    }
    const delay = Math.max(0, dueAt - this.clock.nowMs());
    await this.queue.add(
      NoticesJob.Dispatch,
      { reason: 'due' },
      {
        jobId: `notice-dispatch-${dueAt}`,
        delay,
        attempts: 1,
        removeOnComplete: true,
        removeOnFail: { count: 100 },
      },
    );
  }
}
