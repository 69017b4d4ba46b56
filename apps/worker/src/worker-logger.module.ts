import { requestIdFor } from './request-id';
import type { IncomingMessage } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Options as HttpLogOptions } from 'pino-http';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { terminalLogStream } from './terminal-logs';

const assignedId = (req: IncomingMessage): string => {
  const id = (req as { id?: unknown }).id;
  return typeof id === 'string' ? id : requestIdFor(req);
};

/** The options, with the terminal's readable stream when there is one. */
function withStream<T extends object>(
  options: T,
): T | [T, NonNullable<ReturnType<typeof terminalLogStream>>] {
  const stream = terminalLogStream();
  return stream === undefined ? options : [options, stream];
}

/** Structured JSON logs (pino); every line of a request carries its request id as `req.id`. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
        pinoHttp: withStream<HttpLogOptions>({
          level: config.get('LOG_LEVEL', { infer: true }),
          genReqId: assignedId,
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          customLogLevel: (_req, res, error) =>
            error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        }),
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
})
export class StepwiseLoggerModule {}
