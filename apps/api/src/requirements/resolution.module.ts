import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlanReadModule } from '@stepwise/plan-snapshot/plan-read.module';
import { RevisionEntity } from '@stepwise/persistence/revision.entity';
import { ImpactController } from '../impact/impact.controller';
import { ImpactService } from '../impact/impact.service';
import { ScheduleController } from '../schedule/schedule.controller';
import { ScheduleService } from '../schedule/schedule.service';
import { RequirementsController } from './requirements.controller';
import { RequirementsService } from './requirements.service';

/** Answers from the plan: requirements now and then, the schedule and its calendar, what-if. */
@Module({
  imports: [PlanReadModule, TypeOrmModule.forFeature([RevisionEntity])],
  controllers: [RequirementsController, ScheduleController, ImpactController],
  providers: [RequirementsService, ScheduleService, ImpactService],
  exports: [PlanReadModule],
})
export class ResolutionModule {}
