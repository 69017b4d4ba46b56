import { Module } from '@nestjs/common';
import { PlanningModule } from '@stepwise/planning/planning.module';
import { PolicyController } from './policy.controller';

/** Policies over HTTP. */
@Module({ imports: [PlanningModule], controllers: [PolicyController] })
export class PolicyHttpModule {}
