import type { FileAppliedState, RulesClient } from '@stepwise/connector';
import type { Clock } from '@stepwise/common/clock';
import type { AddressInfo } from 'node:net';
import type { AgentConfig } from './agent-config';
import { AgentLog } from './agent-log';
import { AgentServer } from './agent-server';
import { createAdapter } from './adapters/create-adapter';
import type { EnforcementAdapter } from './adapters/adapter';
import { PullLoop } from './pull-loop';
import { RulesAgent } from './rules-agent';
import { WebhookListener } from './webhook-listener';

export interface AgentParts {
  clock: Clock;
  client: RulesClient;
  store: FileAppliedState;
  /** Tests pass their own; otherwise the configured one. */
  adapter?: EnforcementAdapter;
  writeLog?: (line: string) => void;
}

export interface RunningAgent {
  log: AgentLog;
  agent: RulesAgent;
  pull?: PullLoop;
  /** Health first, then the webhook's address when it has its own. */
  addresses: AddressInfo[];
  stop(): Promise<void>;
}

/** Wires an agent from its configuration and starts it (tests start it in-process the same way). */
export async function startAgent(config: AgentConfig, parts: AgentParts): Promise<RunningAgent> {
  const log = new AgentLog(parts.clock, config.logLevel, parts.writeLog);
  const adapter = parts.adapter ?? createAdapter(config, parts.clock);
  const agent = new RulesAgent(adapter, parts.store, parts.client, parts.clock, log);
  await agent.start();
  const webhook =
    config.mode === 'webhook' && config.webhook !== undefined
      ? new WebhookListener({ ...config.webhook, service: config.service }, agent, parts.clock, log)
      : undefined;
  const server = new AgentServer(
    { service: config.service, mode: config.mode, adapter: adapter.name, status: () => agent.status() },
    webhook,
    log,
  );
  const addresses = await server.listen(config.health.listen, config.webhook?.listen);
  const pull =
    config.mode === 'pull'
      ? new PullLoop(parts.client, agent, config.pull.intervalSeconds * 1000, log)
      : undefined;
  pull?.start();
  log.info('agent started', {
    service: config.service,
    mode: config.mode,
    adapter: adapter.name,
    listening: addresses.map((address) => `${address.address}:${address.port}`),
  });
  return {
    log,
    agent,
    pull,
    addresses,
    stop: async () => {
      await pull?.stop();
      await server.close();
    },
  };
}
