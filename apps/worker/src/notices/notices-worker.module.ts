import { Module } from '@nestjs/common';
import { NoticeOutboxModule } from '@stepwise/notices/notice-outbox.module';
import { QueueModule } from '@stepwise/queue/queue.module';
import { NoticeSchedule } from './notice-schedule';
import { NoticesProcessor } from './notices.processor';

/** Notices to people: planned from the live timeline, dispatched into mails, sent over SMTP. */
@Module({
  imports: [NoticeOutboxModule, QueueModule.register('worker')],
  providers: [NoticesProcessor, NoticeSchedule],
})
export class NoticesWorkerModule {}
