import type { Clock } from '@stepwise/common/clock';
import type { AgentConfig } from '../agent-config';
import type { EnforcementAdapter } from './adapter';
import { ApacheOidcAdapter } from './apache-oidc.adapter';
import { CommandAdapter } from './command.adapter';
import { EntraCaAdapter } from './entra/entra-ca.adapter';
import { ShibbolethSpAdapter } from './shibboleth-sp.adapter';

export function createAdapter(config: AgentConfig, clock: Clock): EnforcementAdapter {
  switch (config.adapter.type) {
    case 'apache-oidc':
      return new ApacheOidcAdapter(config.adapter, config.populations);
    case 'command':
      return new CommandAdapter(config.adapter.command);
    case 'entra-ca':
      return new EntraCaAdapter(config.adapter, clock);
    case 'shibboleth-sp':
      return new ShibbolethSpAdapter(config.adapter, config.populations);
  }
}
