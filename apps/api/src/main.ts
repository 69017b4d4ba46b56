import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { closeOnSignals } from '@stepwise/common/bounded-shutdown';
import { ConfigurationError, validateEnvironment } from '@stepwise/config/environment.schema';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { migrateDatabase } from '@stepwise/persistence/migration-runner';
import { assertDatabaseReachable } from '@stepwise/persistence/database-preflight';
import { assertNoEviction } from '@stepwise/redis/redis-policy-check';
import { redisOptions } from '@stepwise/redis/redis-connection';
import { createApiApp } from './api-app.factory';
import { listenHost } from './listen-host';

async function bootstrap(): Promise<void> {
  // Validate before anything connects: a bad value stops here, naming the variable.
  const env = validateEnvironment(process.env);
  await assertDatabaseReachable(env.DATABASE_URL);
  await assertNoEviction(env.REDIS_URL, redisOptions(env.REDIS_URL, 'client'));
  await migrateDatabase(env.DATABASE_URL);
  const app = await createApiApp();
  const config = app.get<ConfigService<EnvironmentVariables, true>>(ConfigService);
  // In-flight requests get the bound to finish; new ones are answered 503 meanwhile.
  closeOnSignals(app, {
    boundMs: env.STEPWISE_SHUTDOWN_BOUND_MS,
    logger: new Logger('Shutdown'),
    what: 'the API',
  });
  const { host, notice } = listenHost(env);
  await app.listen({ port: config.get('PORT', { infer: true }), host });
  new Logger('Listen')[notice.level](notice.message);
}

bootstrap().catch((error: unknown) => {
  const message =
    error instanceof ConfigurationError
      ? error.message
      : error instanceof Error
        ? error.stack
        : String(error);
  process.stderr.write(`stepwise-api failed to start: ${message}\n`);
  process.exit(1);
});
