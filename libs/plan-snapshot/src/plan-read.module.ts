import { Module } from '@nestjs/common';
import { PlanChangeModule } from '@stepwise/planning/plan-change.module';
import { PlanLoader } from './plan-loader';
import { PlanSnapshot } from './plan-snapshot';

/** The read side of the plan: the loader and the in-memory snapshot hot reads answer from. */
@Module({
  imports: [PlanChangeModule],
  providers: [PlanLoader, PlanSnapshot],
  exports: [PlanLoader, PlanSnapshot],
})
export class PlanReadModule {}
