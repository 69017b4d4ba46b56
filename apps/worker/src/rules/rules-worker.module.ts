import { Module } from '@nestjs/common';
import { EnforcementModule } from '@stepwise/enforcement/enforcement.module';
import { QueueModule } from '@stepwise/queue/queue.module';
import { DeliveryWorkerModule } from '../delivery/delivery-worker.module';
import { WorkerMetricsModule } from '../metrics/worker-metrics.module';
import { PlanChangeListener } from './plan-change.listener';
import { RefreshCycle } from './refresh-cycle';
import { RefreshRequester } from './refresh-requester';
import { SweepScheduler } from './sweep.scheduler';
import { TransitionScheduler } from './transition-scheduler';
import { TransitionsProcessor } from './transitions.processor';

/** Desired state on schedule: refreshes on notice, transition jobs at their instants, the sweep. */
@Module({
  imports: [EnforcementModule, QueueModule.register('worker'), WorkerMetricsModule, DeliveryWorkerModule],
  providers: [
    TransitionsProcessor,
    RefreshCycle,
    RefreshRequester,
    TransitionScheduler,
    PlanChangeListener,
    SweepScheduler,
  ],
})
export class RulesWorkerModule {}
