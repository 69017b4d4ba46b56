import helmet from '@fastify/helmet';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { requestIdFor } from '@stepwise/common/logger.module';
import { AppModule } from './app.module';
import { stepwiseValidationPipe } from './http/validation.pipe';
import { setUpOpenApi } from './http/openapi';
import { mountApiMetrics } from './ops/api-metrics';
import { mountQueueDashboard } from './ops/queue-dashboard';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the API application exactly as production runs it; tests call this too. */
export async function createApiApp(): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: requestIdFor,
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  await configureApiApp(app);
  return app;
}

export async function configureApiApp(app: NestFastifyApplication): Promise<void> {
  app.useLogger(app.get(Logger));
  await app.register(helmet, {
    // The Swagger UI at /docs needs its inline script and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(stepwiseValidationPipe());
  app.enableShutdownHooks();
  setUpOpenApi(app);
  mountApiMetrics(app);
  await mountQueueDashboard(app);
}
