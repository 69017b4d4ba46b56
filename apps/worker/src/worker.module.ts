import { Module } from '@nestjs/common';
import { AuditModule } from '@stepwise/audit/audit.module';
import { ClockModule } from '@stepwise/common/clock.module';
import { WorkerLoggerModule } from './worker-logger.module';
import { StepwiseConfigModule } from '@stepwise/config/config.module';
import { PersistenceModule } from '@stepwise/persistence/persistence.module';
import { QueueModule } from '@stepwise/queue/queue.module';
import { RedisClientModule } from '@stepwise/redis/redis-client.module';
import { DeliveryWorkerModule } from './delivery/delivery-worker.module';
import { WorkerMetricsModule } from './metrics/worker-metrics.module';
import { NoticesWorkerModule } from './notices/notices-worker.module';
import { RulesWorkerModule } from './rules/rules-worker.module';
import { HealthPingScheduler } from './system/health-ping.scheduler';
import { SystemProcessor } from './system/system.processor';

/** The worker: BullMQ processors over PostgreSQL. It never runs migrations (the API does). */
@Module({
  imports: [
    StepwiseConfigModule,
    ClockModule,
    WorkerLoggerModule,
    PersistenceModule,
    AuditModule,
    RedisClientModule,
    QueueModule.register('worker'),
    WorkerMetricsModule,
    RulesWorkerModule,
    DeliveryWorkerModule,
    NoticesWorkerModule,
  ],
  providers: [SystemProcessor, HealthPingScheduler],
})
export class WorkerModule {}
