import type { Command } from 'commander';
import { DomainError } from '@stepwise/common/domain-error';
import { ROLES, type Role } from '@stepwise/common/principal';
import { TokenService } from '@stepwise/access/token.service';
import { print, printError } from './plan-output';
import { cliAuditContext, withPlanningContext } from './planning-context';

interface TokenOptions {
  name: string;
  role: string;
  services?: string;
}

const isRole = (role: string): role is Role => (ROLES as readonly string[]).includes(role);

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('bearer tokens');
  token
    .command('create')
    .requiredOption('--name <name>', 'who or what holds the token')
    .requiredOption('--role <role>', `one of: ${ROLES.join(', ')}`)
    .option('--services <ids>', 'comma-separated service ids (required for service-owner and connector)')
    .description('create a token through the same service as POST /tokens; prints the secret once')
    .action(async (options: TokenOptions) => {
      if (!isRole(options.role)) {
        printError([`refused: --role must be one of ${ROLES.join(', ')}`]);
        process.exitCode = 1;
        return;
      }
      const services = options.services
        ?.split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      const input = { name: options.name, role: options.role, services };
      try {
        const created = await withPlanningContext((app) =>
          app.get(TokenService).create(cliAuditContext(), input),
        );
        print([`token id: ${created.id}`, `secret (shown once, store it now): ${created.token}`]);
      } catch (error) {
        // Anything else is main's to report. A token refusal names one field at most, so its
        // message (`services: …`) fits the one line a script reads, like the role check above.
        if (!(error instanceof DomainError)) {
          throw error;
        }
        printError([`refused (${error.code}): ${error.message}`]);
        process.exitCode = 1;
      }
    });
}
