import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** The process's one pino logger: structured JSON lines, secrets redacted. */
export function createPinoLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
  });
}

/**
 * Nest's logger interface over that pino logger, so framework and application lines share one
 * format. Request lines come from Fastify's own pino child logger, which carries `reqId`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }

  fatal(message: unknown, context?: string): void {
    this.logger.fatal({ context }, String(message));
  }
}
