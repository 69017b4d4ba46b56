import { Module } from '@nestjs/common';
import { PlanChangeModule } from '@stepwise/planning/plan-change.module';
import { ContactService } from './contact.service';
import { NoticeQuery } from './notice-query.service';
import { NoticeSettingsService } from './notice-settings.service';

/** What the API serves: contacts, a policy's notice settings and the notices outbox read. */
@Module({
  imports: [PlanChangeModule],
  providers: [ContactService, NoticeSettingsService, NoticeQuery],
  exports: [ContactService, NoticeSettingsService, NoticeQuery],
})
export class NoticesModule {}
