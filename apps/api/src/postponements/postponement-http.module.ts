import { Module } from '@nestjs/common';
import { PlanReadModule } from '@stepwise/plan-snapshot/plan-read.module';
import { PlanChangeModule } from '@stepwise/planning/plan-change.module';
import { PostponementController } from './postponement.controller';
import { PostponementQuery } from './postponement-query.service';
import { PostponementRepository } from './postponement.repository';
import { PostponementService } from './postponement.service';

/** Owners' requests for more time on a phase, and planners' decisions on them. */
@Module({
  imports: [PlanReadModule, PlanChangeModule],
  controllers: [PostponementController],
  providers: [PostponementService, PostponementQuery, PostponementRepository],
})
export class PostponementHttpModule {}
