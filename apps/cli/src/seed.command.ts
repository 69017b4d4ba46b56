import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { validateEnvironment } from '@stepwise/config/environment.schema';
import { migrateDatabase } from '@stepwise/persistence/migration-runner';
import { PlanDocumentImporter } from '@stepwise/planning/plan-document-importer.service';
import { describeRefusal, describeResult, print, printError } from './plan-output';
import { cliAuditContext, withPlanningContext } from './planning-context';

const PLAN_FILE = /\.(ya?ml|json)$/;

const filesIn = (directory: string): string[] =>
  existsSync(directory)
    ? readdirSync(directory)
        .filter((name) => PLAN_FILE.test(name))
        .sort()
        .map((name) => join(directory, name))
    : [];

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .option('--config-dir <dir>', 'where services/ and plans/ are', 'config')
    .description(
      'apply pending migrations, then import every services file (<dir>/services/*.yaml), then every plan file (<dir>/plans/*.yaml); idempotent',
    )
    .action(async (options: { configDir: string }) => {
      // Services first: plans name them, and a plan naming an unknown service is refused.
      const files = [
        ...filesIn(join(options.configDir, 'services')),
        ...filesIn(join(options.configDir, 'plans')),
      ];
      // A fresh database has no tables yet; the same locked runner as `migrate` and the API's start.
      const applied = await migrateDatabase(validateEnvironment(process.env).DATABASE_URL);
      print([`migrations applied: ${applied.length}`]);
      await withPlanningContext(async (app) => {
        const importer = app.get(PlanDocumentImporter);
        for (const file of files) {
          try {
            print(describeResult(file, await importer.import(cliAuditContext(), readFileSync(file, 'utf8'))));
          } catch (error) {
            printError([`${file}:`, ...describeRefusal(error)]);
            process.exitCode = 1;
          }
        }
      });
    });
}
