import { Module } from '@nestjs/common';
import { PlanReadModule } from '@stepwise/plan-snapshot/plan-read.module';
import { TimelineController } from './timeline.controller';
import { TimelineService } from './timeline.service';

/** The console's timeline, drawn from the in-memory plan. */
@Module({
  imports: [PlanReadModule],
  controllers: [TimelineController],
  providers: [TimelineService],
})
export class TimelineHttpModule {}
