import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createPinoLogger, PinoNestLogger } from '@stepwise/common/pino-logger';
import { requestIdFor } from '@stepwise/common/request-id';
import { validateEnvironment } from '@stepwise/config/environment.schema';
import { AppModule } from './app.module';
import { registerSecurityHeaders } from './http/security-headers';
import { stepwiseValidationPipe } from './http/validation.pipe';
import { setUpOpenApi } from './http/openapi';
import { createHotReadHook, HotReadHook } from './hot-reads/hot-read.hook';
import { requirementsHotRead } from './hot-reads/requirements-hot-read';
import { mountApiMetrics } from './ops/api-metrics';
import { RequirementsService } from './requirements/requirements.service';
import { mountQueueDashboard } from './ops/queue-dashboard';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the API application exactly as production runs it; tests call this too. */
export async function createApiApp(): Promise<NestFastifyApplication> {
  const logger = createPinoLogger(validateEnvironment(process.env).LOG_LEVEL, 'stepwise-api');
  const adapter = new FastifyAdapter({
    // Fastify's own pino logger: every line of a request carries its `reqId`, at no middleware cost.
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: requestIdFor,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  registerSecurityHeaders(fastify);
  // Registered before Nest adds its own hooks, so a hot read answered here skips them all; the
  // handler is set once the app (and the services it calls) exists.
  let hotReads: HotReadHook | null = null;
  fastify.addHook('onRequest', (request, reply) =>
    hotReads ? hotReads(request, reply) : Promise.resolve(undefined),
  );
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(new PinoNestLogger(logger));
  await configureApiApp(app);
  const env = validateEnvironment(process.env);
  hotReads = createHotReadHook(
    app,
    [requirementsHotRead(app.get(RequirementsService))],
    env.STEPWISE_RATE_LIMIT_PER_MINUTE,
  );
  return app;
}

export async function configureApiApp(app: NestFastifyApplication): Promise<void> {
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
