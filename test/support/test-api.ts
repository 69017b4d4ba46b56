import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { installContractCheck } from './contract-check';
import { clearRedisPrefix } from './redis-keys';
import { createTestDatabase, TestDatabase } from './test-database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

// Every answer the suites receive through supertest keeps the committed OpenAPI document.
installContractCheck();

export interface TestApi {
  app: NestFastifyApplication;
  http: TestAgent;
  db: TestDatabase;
  redisPrefix: string;
  /** Creates a token through the API and returns its secret. */
  token(role: string, services?: string[]): Promise<string>;
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  /** The app reaches the suite's database on this port (a TcpProxy's), not the server's own. */
  databasePort?: number;
}

/** Environment a suite's API and worker share: its own database and Redis key prefix. */
export async function isolatedEnvironment(
  overrides: Record<string, string> = {},
  options: EnvironmentOptions = {},
) {
  const db = await createTestDatabase();
  const appDatabaseUrl = new URL(db.url);
  if (options.databasePort !== undefined) {
    appDatabaseUrl.port = String(options.databasePort);
  }
  const redisPrefix = `swtest-${randomBytes(4).toString('hex')}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: appDatabaseUrl.toString(),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    STEPWISE_REDIS_PREFIX: redisPrefix,
    STEPWISE_ADMIN_TOKEN: ADMIN_TOKEN,
    STEPWISE_SECRET_KEY: 'test-secret-key-0123456789-abcdefghijkl',
    STEPWISE_RATE_LIMIT_PER_MINUTE: '0',
    // Suites run side by side: a worker's metrics server is opt-in (a fixed port would collide).
    STEPWISE_WORKER_METRICS_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  });
  return { db, redisPrefix };
}

/**
 * Boots the real API (as `createApiApp` builds it for production) on a fresh database. The app is
 * imported only after the environment is set, because configuration is read when modules load.
 */
export async function startTestApi(
  overrides: Record<string, string> = {},
  options: EnvironmentOptions = {},
): Promise<TestApi> {
  const { db, redisPrefix } = await isolatedEnvironment(overrides, options);
  const { createApiApp } = await import('../../apps/api/src/api-app.factory');
  const app = await createApiApp();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = request(app.getHttpServer());
  return {
    app,
    http,
    db,
    redisPrefix,
    token: async (role, services) => {
      const res = await http
        .post('/api/v1/tokens')
        .set('authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ name: `${role}-${randomBytes(3).toString('hex')}`, role, services });
      if (res.status !== 201) {
        throw new Error(`token creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return (res.body as { token: string }).token;
    },
    close: async () => {
      await app.close();
      await clearRedisPrefix(redisPrefix);
      await db.drop();
    },
  };
}

export const bearer = (token: string): [string, string] => ['authorization', `Bearer ${token}`];
