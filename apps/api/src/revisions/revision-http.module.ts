import { Module } from '@nestjs/common';
import { PlanningModule } from '@stepwise/planning/planning.module';
import { RevisionLifecycleController } from './revision-lifecycle.controller';
import { RevisionController } from './revision.controller';

/** Revisions over HTTP: drafting, reading, diff, review and publication. */
@Module({ imports: [PlanningModule], controllers: [RevisionController, RevisionLifecycleController] })
export class RevisionHttpModule {}
