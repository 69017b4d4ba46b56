import type { Command } from 'commander';
import { DataSource } from 'typeorm';
import { validateEnvironment } from '@stepwise/config/environment.schema';
import { dataSourceOptions } from '@stepwise/persistence/data-source-options';
import { runMigrationsLocked } from '@stepwise/persistence/migration-runner';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (under an advisory lock)')
    .action(async () => {
      const env = validateEnvironment(process.env);
      const dataSource = await new DataSource(dataSourceOptions(env.DATABASE_URL, 2)).initialize();
      try {
        const applied = await runMigrationsLocked(dataSource);
        process.stdout.write(`migrations applied: ${applied.length}\n`);
      } finally {
        await dataSource.destroy();
      }
    });
}
