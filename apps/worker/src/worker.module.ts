import { Module } from '@nestjs/common';
import { StepwiseLoggerModule } from '@stepwise/common/logger.module';
import { StepwiseConfigModule } from '@stepwise/config/config.module';
import { QueueWorkerModule } from '@stepwise/queue/queue-worker.module';
import { RedisClientModule } from '@stepwise/queue/redis-client.module';
import { HealthPingScheduler } from './system/health-ping.scheduler';
import { SystemProcessor } from './system/system.processor';

@Module({
  imports: [StepwiseConfigModule, StepwiseLoggerModule, RedisClientModule, QueueWorkerModule],
  providers: [SystemProcessor, HealthPingScheduler],
})
export class WorkerModule {}
