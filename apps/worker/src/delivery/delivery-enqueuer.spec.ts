import type { Queue } from 'bullmq';
import { DELIVERY_ATTEMPTS } from '@stepwise/queue/queue-catalogue';
import { DeliveryEnqueuer } from './delivery-enqueuer';

describe(DeliveryEnqueuer.name, () => {
  it('names a first round by (service, generation), a redelivery by its request, a new round by the sends so far', async () => {
    const added: { data: unknown; opts: { jobId: string; attempts: number } }[] = [];
    const queue = { addBulk: async (jobs: typeof added) => void added.push(...jobs) };
    const sut = new DeliveryEnqueuer(queue as unknown as Queue);
    expect(
      await sut.enqueue([
        { serviceId: 'utas', generation: 3 },
        { serviceId: 'utol', generation: 2, redeliveryRequestedAt: 1_700_000_000_000 },
        { serviceId: 'eccs', generation: 5, restartAfterAttempts: 10 },
      ]),
    ).toBe(3);
    expect(added.map((job) => job.opts.jobId)).toEqual([
      'deliver-utas-3',
      'deliver-utol-2-r1700000000000',
      'deliver-eccs-5-a10',
    ]);
    expect(added.map((job) => job.opts.attempts)).toEqual([
      DELIVERY_ATTEMPTS,
      DELIVERY_ATTEMPTS,
      DELIVERY_ATTEMPTS,
    ]);
    expect(added[2].data).toEqual({ serviceId: 'eccs', generation: 5 });
  });
});
