import { Module } from '@nestjs/common';
import { PlanningModule } from '@stepwise/planning/planning.module';
import { ServiceController } from './service.controller';

/** The service directory over HTTP. */
@Module({ imports: [PlanningModule], controllers: [ServiceController] })
export class ServiceHttpModule {}
