import { DelayedError, type Job } from 'bullmq';
import { fakeOf } from '@stepwise/common/testing/fake-of';
import type { AuditLog } from '@stepwise/audit/audit-log';
import type { DeliveryLedger } from '@stepwise/enforcement/delivery-ledger';
import { DeliveryJob } from '@stepwise/queue/queue-catalogue';
import type { WorkerMetrics } from '../metrics/worker-metrics';
import type { DeliveryEnqueuer } from './delivery-enqueuer';
import { WorkerStoppingError } from './delivery-errors';
import type { RulesDelivery } from './rules-delivery.service';
import type { SendSlots } from './send-slots';
import type { WebhookSenderProvider } from './webhook-sender.provider';
import { RulesDeliveryProcessor } from './rules-delivery.processor';

interface Fakes {
  delivery?: Partial<RulesDelivery>;
  auditLog?: Partial<AuditLog>;
  ledger?: Partial<DeliveryLedger>;
  metrics?: Partial<WorkerMetrics>;
}

/** The processor with fakes for what a test gives; anything else it touches throws, named. */
const newRulesDeliveryProcessor = (fakes: Fakes = {}) =>
  new RulesDeliveryProcessor(
    fakeOf<RulesDelivery>('RulesDelivery', fakes.delivery),
    fakeOf<DeliveryEnqueuer>('DeliveryEnqueuer'),
    fakeOf<SendSlots>('SendSlots'),
    fakeOf<WebhookSenderProvider>('WebhookSenderProvider'),
    fakeOf<AuditLog>('AuditLog', fakes.auditLog),
    fakeOf<DeliveryLedger>('DeliveryLedger', fakes.ledger),
    fakeOf<WorkerMetrics>('WorkerMetrics', fakes.metrics),
  );

describe(RulesDeliveryProcessor.name, () => {
  it("audits a retry chain that gave up with the ledger's count of sends, the fan-out batch's first send included", async () => {
    const record = jest.fn(async () => undefined);
    const ledger = {
      lastSend: async () => ({ sentGeneration: 3, lastError: 'receiver answered HTTP 500', attempts: 10 }),
    };
    const metrics = { deliveryFailures: { inc: jest.fn() } };
    const sut = newRulesDeliveryProcessor({
      auditLog: { record },
      ledger: ledger as unknown as DeliveryLedger,
      metrics: metrics as unknown as WorkerMetrics,
    });
    // The batch made the first send; its retry job had the other nine.
    const job = {
      name: DeliveryJob.Deliver,
      data: { serviceId: 'w7', generation: 3 },
      attemptsMade: 9,
      opts: { attempts: 9 },
    } as unknown as Job;
    await sut.onFailed(job, new Error('receiver answered HTTP 500'));
    expect(record).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        action: 'rules.apply-failed',
        after: { generation: 3, error: 'receiver answered HTTP 500', attempts: 10, retried: true },
        reason: 'gave up after 10 attempt(s): receiver answered HTTP 500',
      }),
    );
  });

  it('hands a single delivery that did not start because the worker is stopping back to the queue, unspent', async () => {
    const delivery = { deliver: async () => Promise.reject(new WorkerStoppingError()) };
    const sut = newRulesDeliveryProcessor({ delivery: delivery as unknown as RulesDelivery });
    const moveToDelayed = jest.fn(async () => undefined);
    const job = { name: DeliveryJob.Deliver, data: { serviceId: 'w7', generation: 3 }, moveToDelayed };
    await expect(sut.process(job as unknown as Job, 'lock-token')).rejects.toBeInstanceOf(DelayedError);
    expect(moveToDelayed).toHaveBeenCalledWith(expect.any(Number), 'lock-token');
  });
});
