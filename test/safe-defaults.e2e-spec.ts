import { networkInterfaces } from 'node:os';
import { freePort, RunningProcess, startProcess } from './support/processes';
import { clearRedisPrefix } from './support/redis-keys';
import { isolatedEnvironment } from './support/test-api';
import type { TestDatabase } from './support/test-database';

/** An address of this machine that is not loopback, where there is one (a container's eth0). */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((nic) => nic !== undefined && nic.family === 'IPv4' && !nic.internal)?.address;

/** The status of a GET, or the connection error's code (ECONNREFUSED: nothing listens there). */
async function statusAt(url: string): Promise<number | string> {
  try {
    return (await fetch(url)).status;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code ?? String(error);
  }
}

describe('safe defaults of the API and worker processes', () => {
  let db: TestDatabase;
  let redisPrefix: string;
  const running: RunningProcess[] = [];

  beforeAll(async () => {
    ({ db, redisPrefix } = await isolatedEnvironment());
  });

  afterEach(async () => {
    for (const sut of running.splice(0)) {
      if (sut.child.exitCode === null) {
        sut.child.kill('SIGKILL');
      }
      await sut.exited();
    }
  });

  afterAll(async () => {
    await clearRedisPrefix(redisPrefix);
    await db.drop();
  });

  const start = (script: string, env: Record<string, string>): RunningProcess => {
    const sut = startProcess(script, { LOG_LEVEL: 'info', ...env });
    running.push(sut);
    return sut;
  };

  it('listens on loopback only with the development admin token, and says so', async () => {
    const port = await freePort();
    const sut = start('dist/apps/api/src/main.js', {
      PORT: String(port),
      STEPWISE_ADMIN_TOKEN: 'stepwise-dev-admin-token',
    });
    await sut.waitFor('the development admin token is in use: listening on 127.0.0.1 only');
    expect(await statusAt(`http://127.0.0.1:${port}/health/live`)).toBe(200);
    if (externalAddress) {
      expect(await statusAt(`http://${externalAddress}:${port}/health/live`)).toBe('ECONNREFUSED');
    }
  });

  it('serves the API on every interface with a token of its own, and /metrics to loopback and the allowlist only', async () => {
    const port = await freePort();
    const sut = start('dist/apps/api/src/main.js', {
      PORT: String(port),
      STEPWISE_METRICS_ALLOW: '198.51.100.0/24',
    });
    await sut.waitFor('listening on 0.0.0.0');
    expect(await statusAt(`http://127.0.0.1:${port}/metrics`)).toBe(200);
    if (externalAddress) {
      expect(await statusAt(`http://${externalAddress}:${port}/health/live`)).toBe(200);
      const refused = await fetch(`http://${externalAddress}:${port}/metrics`);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({
        statusCode: 403,
        message: expect.stringContaining('STEPWISE_METRICS_ALLOW'),
      });
    }
  });

  it("binds the worker's metrics to loopback, and a second worker on a taken port runs without them", async () => {
    const port = await freePort();
    const first = start('dist/apps/worker/src/main.js', { STEPWISE_WORKER_METRICS_PORT: String(port) });
    await first.waitFor(`worker metrics at http://127.0.0.1:${port}/metrics`);
    await first.waitFor('stepwise-worker ready');
    expect(await statusAt(`http://127.0.0.1:${port}/metrics`)).toBe(200);
    if (externalAddress) {
      expect(await statusAt(`http://${externalAddress}:${port}/metrics`)).toBe('ECONNREFUSED');
    }
    const second = start('dist/apps/worker/src/main.js', { STEPWISE_WORKER_METRICS_PORT: String(port) });
    await second.waitFor(`port ${port} is in use`);
    await second.waitFor('stepwise-worker ready');
    expect(second.output()).toContain('STEPWISE_WORKER_METRICS_PORT');
    expect(second.child.exitCode).toBeNull();
  });

  it('refuses a scrape from outside the allowlist on a widened worker metrics address', async () => {
    const port = await freePort();
    const sut = start('dist/apps/worker/src/main.js', {
      STEPWISE_WORKER_METRICS_PORT: String(port),
      STEPWISE_WORKER_METRICS_HOST: '0.0.0.0',
    });
    await sut.waitFor(`worker metrics at http://0.0.0.0:${port}/metrics`);
    expect(await statusAt(`http://127.0.0.1:${port}/metrics`)).toBe(200);
    if (externalAddress) {
      expect(await statusAt(`http://${externalAddress}:${port}/metrics`)).toBe(403);
    }
  });
});
