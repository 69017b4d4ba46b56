import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { QueueName } from '@stepwise/queue/queue-catalogue';
import { Authenticator } from '@stepwise/access/authenticator';
import { adminOnly } from './admin-request-check';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Bull Board over every queue of the catalogue, for admins, at /admin/queues. */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Stepwise queues' } },
  });
  const authenticator = app.get(Authenticator);
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', adminOnly(authenticator));
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
