import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { systemActor } from '@stepwise/common/principal';
import { CliModule } from './cli.module';

/** The CLI acts as the system: its changes are audited as `system:cli`. */
export const cliAuditContext = (): AuditContext => ({ actor: systemActor('cli'), requestId: null });

/** Boots the planning services (no HTTP), runs `work`, and always closes the database and Redis. */
export async function withPlanningContext<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
