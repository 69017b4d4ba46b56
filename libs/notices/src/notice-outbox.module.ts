import { Module } from '@nestjs/common';
import { PlanReadModule } from '@stepwise/plan-snapshot/plan-read.module';
import { NoticeDispatcher } from './notice-dispatcher';
import { NoticePlanner } from './notice-planner';
import { NoticeSender } from './notice-sender';

/** What the worker runs: planning into the outbox, dispatch into mails, sending over SMTP. */
@Module({
  imports: [PlanReadModule],
  providers: [NoticePlanner, NoticeDispatcher, NoticeSender],
  exports: [NoticePlanner, NoticeDispatcher, NoticeSender],
})
export class NoticeOutboxModule {}
