import type { AgentConfig } from '../agent-config';
import type { EnforcementAdapter } from './adapter';
import { ApacheOidcAdapter } from './apache-oidc.adapter';
import { CommandAdapter } from './command.adapter';

export function createAdapter(config: AgentConfig): EnforcementAdapter {
  switch (config.adapter.type) {
    case 'apache-oidc':
      return new ApacheOidcAdapter(config.adapter, config.populations);
    case 'command':
      return new CommandAdapter(config.adapter.command);
  }
}
