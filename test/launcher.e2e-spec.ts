import { execFileSync } from 'node:child_process';
import { freePort, startProcess } from './support/processes';
import { clearRedisPrefix } from './support/redis-keys';
import { isolatedEnvironment } from './support/test-api';

describe('npm start (scripts/start.js)', () => {
  it('stops the API and exits 1, naming the worker, when the worker dies on its own', async () => {
    const { db, redisPrefix } = await isolatedEnvironment();
    const launcher = startProcess('scripts/start.js', { PORT: String(await freePort()), LOG_LEVEL: 'info' });
    try {
      await launcher.waitFor('stepwise-worker ready', 60_000);
      await launcher.waitFor('Nest application successfully started', 60_000);
      const workerPid = execFileSync('pgrep', [
        '-P',
        String(launcher.child.pid),
        '-f',
        'dist/apps/worker/src/main.js',
      ])
        .toString()
        .trim();
      process.kill(Number(workerPid), 'SIGKILL');
      const { code } = await launcher.exited(30_000);
      expect(code).toBe(1);
      expect(launcher.output()).toContain(
        'stepwise: the worker exited on its own (SIGKILL): stopping the other',
      );
    } finally {
      if (launcher.child.exitCode === null) {
        launcher.child.kill('SIGKILL');
      }
      await clearRedisPrefix(redisPrefix);
      await db.drop();
    }
  }, 120_000);
});
