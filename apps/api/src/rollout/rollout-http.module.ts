import { Module } from '@nestjs/common';
import { EnforcementModule } from '@stepwise/enforcement/enforcement.module';
import { QueueModule } from '@stepwise/queue/queue.module';
import { RedeliveryService } from './redelivery.service';
import { RolloutController } from './rollout.controller';
import { RolloutRepository } from './rollout.repository';
import { RolloutService } from './rollout.service';

/** Rollout status for operators, and the planner's redelivery. */
@Module({
  imports: [EnforcementModule, QueueModule.register('producer')],
  controllers: [RolloutController],
  providers: [RolloutService, RolloutRepository, RedeliveryService],
})
export class RolloutHttpModule {}
