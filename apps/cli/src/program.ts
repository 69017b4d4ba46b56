import { Command } from 'commander';
import { registerMigrateCommand } from './migrate.command';

/** The `stepwise` command line; each feature registers its commands here. */
export function buildProgram(): Command {
  const program = new Command('stepwise')
    .description('Stepwise command line: migrations, plan files, tokens, offline audit verification')
    .showHelpAfterError();
  registerMigrateCommand(program);
  return program;
}
