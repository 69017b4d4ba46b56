import type { LoggerService } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';

/**
 * Readable lines for a person at a terminal in development; JSON lines (one object a line) in
 * production, when output is a file or a pipe, or with STEPWISE_LOG_FORMAT=json.
 */
export function terminalLogStream(env: NodeJS.ProcessEnv = process.env): DestinationStream | undefined {
  if (env.NODE_ENV === 'production' || env.STEPWISE_LOG_FORMAT === 'json' || !process.stdout.isTTY) {
    return undefined;
  }
  return pretty({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,req,res,responseTime,context,trace',
    messageFormat: '{name} {if context}[{context}] {end}{msg}',
    sync: true,
  });
}

/**
 * Nest's start-up narration: one line per module and route, useful when debugging Nest itself.
 * "Nest application successfully started" (NestApplication) stays: it says the API is up.
 */
const CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/** Nest's own start-up lines at debug, everything else as it was: a start says what matters. */
export class QuietStartLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && CHATTER.has(context)) {
      this.inner.debug?.(message, ...rest);
    } else {
      this.inner.log(message, ...rest);
    }
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug?.(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose?.(message, ...rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.inner.fatal?.(message, ...rest);
  }
}
