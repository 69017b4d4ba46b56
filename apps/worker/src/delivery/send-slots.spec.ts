import type { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { WorkerStoppingError } from './delivery-errors';
import { SendSlots } from './send-slots';

const slots = (size: number) =>
  new SendSlots({ get: () => size } as unknown as ConfigService<EnvironmentVariables, true>);

describe(SendSlots.name, () => {
  it('hands a freed slot to the first waiter', async () => {
    const sut = slots(1);
    const release = await sut.acquire();
    let second = false;
    const waiting = sut.acquire().then((next) => {
      second = true;
      return next;
    });
    await Promise.resolve();
    expect(second).toBe(false);
    release();
    (await waiting)();
    expect(second).toBe(true);
  });

  it('once closed, refuses the waiters and every later acquire, while slots held are still given back', async () => {
    const sut = slots(1);
    const release = await sut.acquire();
    const waiting = sut.acquire();
    sut.close();
    await expect(waiting).rejects.toBeInstanceOf(WorkerStoppingError);
    await expect(sut.acquire()).rejects.toBeInstanceOf(WorkerStoppingError);
    expect(() => release()).not.toThrow();
  });
});
