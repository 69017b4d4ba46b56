import { strongestLevel, type RulesDocument } from '@stepwise/connector';
import type { ApacheOidcAdapterConfig } from '../agent-config';
import type { EnforcementAdapter } from './adapter';
import { renderApacheRule } from './apache-oidc-config';
import { replaceChecked } from './checked-file';

/**
 * Apache HTTP Server with mod_auth_openidc: writes the service's include file from its level,
 * checks the whole configuration (`apachectl configtest`) and only then reloads gracefully. A
 * failed check or reload puts the previous file back, so Apache keeps the rules it had
 * (`replaceChecked`).
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
    await replaceChecked({
      file: this.config.includeFile,
      text,
      testCommand: this.config.testCommand,
      reloadCommand: this.config.reloadCommand,
      what: 'Apache (configtest)',
    });
  }
}
