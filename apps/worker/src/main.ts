import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { QuietStartLogger } from '@stepwise/common/terminal-logs';
import { closeOnSignals } from '@stepwise/common/bounded-shutdown';
import { ConfigurationError, validateEnvironment } from '@stepwise/config/environment.schema';
import { assertDatabaseReachable } from '@stepwise/persistence/database-preflight';
import { assertNoEviction } from '@stepwise/redis/redis-policy-check';
import { redisOptions } from '@stepwise/redis/redis-connection';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const env = validateEnvironment(process.env);
  await assertDatabaseReachable(env.DATABASE_URL);
  await assertNoEviction(env.REDIS_URL, redisOptions(env.REDIS_URL, 'client'));
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  // Sends in flight get the bound to finish; the delivery processor hands back those not started.
  closeOnSignals(app, { boundMs: env.STEPWISE_SHUTDOWN_BOUND_MS, logger: app.get(Logger), what: 'workers' });
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
