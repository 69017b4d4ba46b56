import type { Command } from 'commander';
import { validateEnvironment } from '@stepwise/config/environment.schema';
import { migrateDatabase } from '@stepwise/persistence/migration-runner';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (under an advisory lock)')
    .action(async () => {
      const applied = await migrateDatabase(validateEnvironment(process.env).DATABASE_URL);
      process.stdout.write(`migrations applied: ${applied.length}\n`);
    });
}
