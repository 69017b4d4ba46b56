import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { strongestLevel, type RulesDocument } from '@stepwise/connector';
import type { ApacheOidcAdapterConfig } from '../agent-config';
import type { EnforcementAdapter } from './adapter';
import { renderApacheRule } from './apache-oidc-config';
import { runCommand } from './run-command';

/**
 * Apache HTTP Server with mod_auth_openidc: writes the service's include file from its level,
 * checks the whole configuration (`apachectl configtest`) and only then reloads gracefully. A
 * failed check or reload puts the previous file back, so Apache keeps the rules it had. (The
 * candidate sits at the include's path during the check, as `apachectl configtest` reads it
 * there: a reload by someone else in that window of milliseconds would load it unchecked.)
 */
export class ApacheOidcAdapter implements EnforcementAdapter {
  readonly name = 'apache-oidc';

  constructor(
    private readonly config: ApacheOidcAdapterConfig,
    private readonly populations?: readonly string[],
  ) {}

  async apply(document: RulesDocument): Promise<void> {
    const level = strongestLevel(document, this.populations);
    const rule = document.rules.find((candidate) => candidate.level === level && candidate.instructionsUrl);
    const text = renderApacheRule({
      service: document.service,
      generation: document.generation,
      hash: document.hash,
      level,
      location: this.config.location,
      mfaAcr: this.config.mfaAcr,
      unauthorized: this.config.unauthorized,
      instructionsUrl: rule?.instructionsUrl ?? this.config.instructionsUrl,
      reportLog: this.config.reportLog,
    });
    const previous = await readFile(this.config.includeFile, 'utf8').catch(() => null);
    if (previous === text) {
      return;
    }
    await this.write(text);
    const test = await runCommand(this.config.testCommand);
    if (!test.ok) {
      await this.restore(previous);
      throw new Error(`configtest refused the new rules (previous file kept): ${test.output}`);
    }
    const reload = await runCommand(this.config.reloadCommand);
    if (!reload.ok) {
      await this.restore(previous);
      throw new Error(`graceful reload failed (previous file put back): ${reload.output}`);
    }
  }

  private async write(text: string): Promise<void> {
    const temporary = `${this.config.includeFile}.stepwise-tmp`;
    await writeFile(temporary, text, { mode: 0o644 });
    await rename(temporary, this.config.includeFile);
  }

  private async restore(previous: string | null): Promise<void> {
    if (previous === null) {
      await rm(this.config.includeFile, { force: true });
    } else {
      await this.write(previous);
    }
  }
}
