import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createPinoLogger, PinoNestLogger } from '@stepwise/common/pino-logger';
import { QuietStartLogger, terminalLogStream } from '@stepwise/common/terminal-logs';
import { requestIdFor } from '@stepwise/common/request-id';
import { validateEnvironment } from '@stepwise/config/environment.schema';
import { AppModule } from './app.module';
import { registerSecurityHeaders } from './http/security-headers';
import { stepwiseValidationPipe } from './http/validation.pipe';
import { useStrictJsonBodyParser } from './http/json-body-parser';
import { setUpOpenApi } from './http/openapi';
import { RulesSnapshot } from '@stepwise/enforcement/rules-snapshot';
import { Authenticator } from '@stepwise/access/authenticator';
import fastifyCookie from '@fastify/cookie';
import { loadAccessMap } from '@stepwise/access/access-map';
import { firstDoor, frontDoorServerFactory, type RawDoor } from './hot-reads/front-door-server';
import { mountConsoleAuth } from './console/console-auth';
import { mountConsolePages } from './console/console-pages';
import { type ConsoleSettings, consoleSettings } from './console/console-settings';
import { DevIdentityProvider } from './console/dev-identity-provider';
import { HotReadFrontDoor } from './hot-reads/hot-read-front-door';
import { HotReadLimiter } from './hot-reads/hot-read-limiter';
import { LiveRequirements } from './hot-reads/live-requirements';
import { requirementsHotRead } from './hot-reads/requirements-hot-read';
import { Clock } from '@stepwise/common/clock';
import { PlanSnapshot } from '@stepwise/plan-snapshot/plan-snapshot';
import { rulesHotRead } from './hot-reads/rules-hot-read';
import { mountApiMetrics, RequestObserver } from './ops/api-metrics';
import { mountQueueDashboard } from './ops/queue-dashboard';
import { API_PREFIX } from './http/api-prefix';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the API application exactly as production runs it; tests call this too. */
export async function createApiApp(): Promise<NestFastifyApplication> {
  const env = validateEnvironment(process.env);
  const logger = createPinoLogger(env.LOG_LEVEL, 'stepwise-api', terminalLogStream());
  const settings = consoleSettings(env);
  // A bad access map stops start-up here, naming the line, rather than at the first sign-in.
  const accessMap = loadAccessMap(env.STEPWISE_ACCESS_FILE);
  const devIdentityProvider =
    settings.mode === 'development'
      ? new DevIdentityProvider(settings.issuer, {
          clientId: settings.clientId,
          clientSecret: settings.clientSecret,
          redirectUri: settings.redirectUri,
          postLogoutRedirectUri: settings.postLogoutRedirectUri,
        })
      : null;
  // Hot reads are answered before Fastify sees them, once the app (and the services it asks)
  // exists; until then, and for everything else, Fastify and Nest answer.
  let frontDoor: RawDoor | null = devIdentityProvider;
  let hotReadsToClose: HotReadFrontDoor | null = null;
  const adapter = new FastifyAdapter({
    // Fastify's own pino logger: every line of a request carries its `reqId`, at no middleware cost.
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // A client has this long to send a whole request (Fastify's default is no limit at all, so one
    // that never finished its body held its connection for good); it is answered 408.
    requestTimeout: env.STEPWISE_REQUEST_TIMEOUT_MS,
    requestIdHeader: false,
    genReqId: requestIdFor,
    serverFactory: frontDoorServerFactory(() => frontDoor),
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const securityHeaders = registerSecurityHeaders(fastify);
  fastify.addHook('preClose', (done) => {
    hotReadsToClose?.close();
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(new QuietStartLogger(new PinoNestLogger(logger)));
  const observe = await configureApiApp(app, settings, accessMap);
  const authenticator = app.get(Authenticator);
  const hotReads = new HotReadFrontDoor({
    routes: [
      requirementsHotRead(new LiveRequirements(app.get(PlanSnapshot), app.get(Clock))),
      rulesHotRead(app.get(RulesSnapshot)),
    ],
    authenticate: (secret) => authenticator.authenticateNow(secret),
    limiter: app.get(HotReadLimiter),
    headers: securityHeaders,
    observe,
    logger,
  });
  hotReadsToClose = hotReads;
  frontDoor = firstDoor(devIdentityProvider === null ? [hotReads] : [devIdentityProvider, hotReads]);
  return app;
}

export async function configureApiApp(
  app: NestFastifyApplication,
  settings: ConsoleSettings,
  accessMap: ReturnType<typeof loadAccessMap>,
): Promise<RequestObserver> {
  await app.register(fastifyCookie);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  useStrictJsonBodyParser(app);
  app.useGlobalPipes(stepwiseValidationPipe());
  setUpOpenApi(app);
  const observe = mountApiMetrics(app);
  await mountQueueDashboard(app);
  mountConsoleAuth(app, settings, accessMap);
  await mountConsolePages(app);
  return observe;
}
