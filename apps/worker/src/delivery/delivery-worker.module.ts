import { Module } from '@nestjs/common';
import { EnforcementModule } from '@stepwise/enforcement/enforcement.module';
import { QueueModule } from '@stepwise/queue/queue.module';
import { WorkerMetricsModule } from '../metrics/worker-metrics.module';
import { DeliveryEnqueuer } from './delivery-enqueuer';
import { RulesDeliveryProcessor } from './rules-delivery.processor';
import { RulesDelivery } from './rules-delivery.service';
import { SendSlots } from './send-slots';
import { WebhookSenderProvider } from './webhook-sender.provider';

/** Signed webhook delivery of rules documents. */
@Module({
  imports: [EnforcementModule, QueueModule.register('worker'), WorkerMetricsModule],
  providers: [RulesDeliveryProcessor, RulesDelivery, DeliveryEnqueuer, SendSlots, WebhookSenderProvider],
  exports: [DeliveryEnqueuer],
})
export class DeliveryWorkerModule {}
