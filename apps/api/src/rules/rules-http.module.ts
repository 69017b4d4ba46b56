import { Module } from '@nestjs/common';
import { RulesReadModule } from '@stepwise/enforcement/rules-read.module';
import { RulesAckService } from './rules-ack.service';
import { RulesController } from './rules.controller';
import { RulesFailureService } from './rules-failure.service';

/** Pull connectors: the rules document from the in-memory read model, and the ack. */
@Module({
  imports: [RulesReadModule],
  controllers: [RulesController],
  providers: [RulesAckService, RulesFailureService],
})
export class RulesHttpModule {}
