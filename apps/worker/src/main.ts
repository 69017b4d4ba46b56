import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigurationError, validateEnvironment } from '@stepwise/config/environment.schema';
import { assertDatabaseReachable } from '@stepwise/persistence/database-preflight';
import { assertNoEviction } from '@stepwise/queue/redis-policy-check';
import { redisOptions } from '@stepwise/queue/redis-connection';
import { WorkerModule } from './worker.module';

/** In-flight jobs get this long to finish on SIGTERM; BullMQ hands back the rest as stalled. */
const SHUTDOWN_BOUND_MS = 25_000;

async function bootstrap(): Promise<void> {
  const env = validateEnvironment(process.env);
  await assertDatabaseReachable(env.DATABASE_URL);
  await assertNoEviction(env.REDIS_URL, redisOptions(env.REDIS_URL, 'client'));
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    app.get(Logger).log(`${signal}: closing workers (bound ${SHUTDOWN_BOUND_MS} ms)`);
    setTimeout(() => process.exit(1), SHUTDOWN_BOUND_MS).unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Tests and operators wait for this line: every processor, scheduler and listener is running.
  app.get(Logger).log('stepwise-worker ready');
}

bootstrap().catch((error: unknown) => {
  const message =
    error instanceof ConfigurationError
      ? error.message
      : error instanceof Error
        ? error.stack
        : String(error);
  process.stderr.write(`stepwise-worker failed to start: ${message}\n`);
  process.exit(1);
});
