import { execFileSync } from 'node:child_process';

/** Loads config/services and config/plans into a suite's database through the real CLI. */
export function seedDemo(databaseUrl: string): void {
  execFileSync(process.execPath, ['dist/apps/cli/src/main.js', 'seed'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: 'pipe',
  });
}
