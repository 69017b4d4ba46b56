import { Command } from 'commander';
import { registerAdoptionCommands } from './adoption.command';
import { registerAuditCommands } from './audit.command';
import { registerMigrateCommand } from './migrate.command';
import { registerPlanCommands } from './plan.command';
import { registerSeedCommand } from './seed.command';
import { registerTokenCommands } from './token.command';

/** The `stepwise` command line; each feature registers its commands here. */
export function buildProgram(): Command {
  const program = new Command('stepwise')
    .description('Stepwise command line: migrations, plan files, tokens, offline audit verification')
    .showHelpAfterError();
  registerMigrateCommand(program);
  registerPlanCommands(program);
  registerSeedCommand(program);
  registerTokenCommands(program);
  registerAuditCommands(program);
  registerAdoptionCommands(program);
  return program;
}
