import type { RulesDocument } from '@stepwise/connector';
import type { EnforcementAdapter } from './adapter';
import { runCommand } from './run-command';

/** Any enforcement point with a script of its own: the document on stdin, exit 0 means applied. */
export class CommandAdapter implements EnforcementAdapter {
  readonly name = 'command';

  constructor(private readonly argv: string[]) {}

  async apply(document: RulesDocument): Promise<void> {
    const result = await runCommand(this.argv, JSON.stringify(document));
    if (!result.ok) {
      throw new Error(`${this.argv[0]} failed: ${result.output}`);
    }
  }
}
