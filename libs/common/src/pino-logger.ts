import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * The URL as logged: a calendar feed key (`feed=`) opens its token's calendar, so like the bearer
 * token it stays out of the logs.
 */
export function loggedUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) {
    return url;
  }
  const end = url.includes('#', start) ? url.indexOf('#', start) : url.length;
  const query = url
    .slice(start + 1, end)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      // By its name as the API reads it: `fe%65d=` is `feed=` too.
      return equals >= 0 && decodedName(part.slice(0, equals)) === 'feed'
        ? `${part.slice(0, equals)}=[Redacted]`
        : part;
    });
  return `${url.slice(0, start + 1)}${query.join('&')}${url.slice(end)}`;
}

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, string | string[] | undefined>;
  socket?: { remotePort?: number };
}

function requestFields(req: LoggedRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? loggedUrl(req.url) : req.url,
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** The process's one pino logger: structured JSON lines, secrets redacted. */
export function createPinoLogger(level: string, name: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
    // Fastify hands its request to this serializer: the fields its own default logs, the URL
    // without a feed key.
    serializers: { req: requestFields },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
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
