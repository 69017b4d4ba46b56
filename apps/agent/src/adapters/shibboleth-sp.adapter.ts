import { strongestLevel, type Level, type RulesDocument } from '@stepwise/connector';
import type { ShibbolethSpAdapterConfig } from '../agent-config';
import type { EnforcementAdapter } from './adapter';
import { replaceChecked } from './checked-file';

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The RequestMap the SP reads from its own file (`<RequestMapper type="XML" path=…>`): a session is
 * always required on the service's path; at `enforced` the SP asks the IdP for the MFA
 * authentication context (REFEDS MFA) and accepts only it. The SP cannot warn or report by itself:
 * the other levels are sign-in only.
 */
export function renderRequestMap(input: {
  service: string;
  generation: number;
  level: Level;
  host: string;
  path: string;
  mfaContext: string;
}): string {
  const context = input.level === 'enforced' ? ` authnContextClassRef="${escapeXml(input.mfaContext)}"` : '';
  return [
    '<RequestMap xmlns="urn:mace:shibboleth:3.0:native:sp:config">',
    `  <!-- Written by stepwise-agent for service ${escapeXml(input.service)}: generation ${input.generation}, level ${input.level}. Do not edit. -->`,
    `  <Host name="${escapeXml(input.host)}">`,
    `    <Path name="${escapeXml(input.path)}" authType="shibboleth" requireSession="true"${context}/>`,
    '  </Host>',
    '</RequestMap>',
    '',
  ].join('\n');
}

/** Shibboleth SP: writes the RequestMap file, checked with `shibd -t` before shibd reloads it. */
export class ShibbolethSpAdapter implements EnforcementAdapter {
  readonly name = 'shibboleth-sp';

  constructor(
    private readonly config: ShibbolethSpAdapterConfig,
    private readonly populations?: readonly string[],
  ) {}

  async apply(document: RulesDocument): Promise<void> {
    await replaceChecked({
      file: this.config.requestMapFile,
      text: renderRequestMap({
        service: document.service,
        generation: document.generation,
        level: strongestLevel(document, this.populations),
        host: this.config.host,
        path: this.config.path,
        mfaContext: this.config.mfaContext,
      }),
      testCommand: this.config.testCommand,
      reloadCommand: this.config.reloadCommand,
      what: 'Shibboleth SP (shibd -t)',
    });
  }
}
