import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Options as PinoOptions } from 'pino-http';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { terminalLogStream } from '@stepwise/common/terminal-logs';

/**
 * The worker's logs: pino JSON lines (readable ones on a terminal in development). The worker
 * serves no HTTP through Nest (an application context; its metrics have their own small server),
 * so nothing here is about requests: nestjs-pino is used for its Nest logger alone.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => {
        const options: PinoOptions = { level: config.get('LOG_LEVEL', { infer: true }) };
        const stream = terminalLogStream();
        return { pinoHttp: stream === undefined ? options : [options, stream] };
      },
    }),
  ],
})
export class WorkerLoggerModule {}
