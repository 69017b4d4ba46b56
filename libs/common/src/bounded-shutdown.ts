import type { INestApplicationContext, LoggerService } from '@nestjs/common';

/**
 * On SIGTERM or SIGINT: stop taking work and close the application (its hooks finish or hand
 * back what is in flight), exit 0 once closed, or exit 1 when that takes longer than `boundMs`.
 * Without the bound, whatever is still in flight (a long job, a long export, a client that stalls
 * its request body) would hold the process open for as long as it lasts.
 */
export function closeOnSignals(
  app: INestApplicationContext,
  { boundMs, logger, what }: { boundMs: number; logger: LoggerService; what: string },
): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      return;
    }
    closing = true;
    logger.log(`${signal}: closing ${what} (bound ${boundMs} ms)`);
    setTimeout(() => {
      logger.warn(`${what} still closing after ${boundMs} ms: exiting`);
      process.exit(1);
    }, boundMs).unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
