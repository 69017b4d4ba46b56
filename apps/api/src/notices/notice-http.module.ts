import { Module } from '@nestjs/common';
import { NoticesModule } from '@stepwise/notices/notices.module';
import { NoticeController } from './notice.controller';

/** Contacts, notice settings and the notices outbox over HTTP. */
@Module({ imports: [NoticesModule], controllers: [NoticeController] })
export class NoticeHttpModule {}
