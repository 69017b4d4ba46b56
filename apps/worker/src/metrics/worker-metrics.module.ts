import { Module } from '@nestjs/common';
import { QueueModule } from '@stepwise/queue/queue.module';
import { MetricsServer } from './metrics-server';
import { QueueDepthCollector } from './queue-depth.collector';
import { WorkerMetrics } from './worker-metrics';

/** Prometheus metrics of the worker and the HTTP endpoint that serves them. */
@Module({
  imports: [QueueModule.register('worker')],
  providers: [WorkerMetrics, QueueDepthCollector, MetricsServer],
  exports: [WorkerMetrics],
})
export class WorkerMetricsModule {}
