#!/usr/bin/env node
import { FileAppliedState, RulesClient } from '@stepwise/connector';
import { SystemClock } from '@stepwise/common/clock';
import { AgentConfigError, loadAgentConfig } from './agent-config';
import { startAgent } from './start-agent';

/** `stepwise-agent --config FILE`: a bad file stops it at once, naming the field. */
async function main(argv: string[]): Promise<void> {
  const index = argv.indexOf('--config');
  const path = index === -1 ? undefined : argv[index + 1];
  if (path === undefined) {
    process.stderr.write('usage: stepwise-agent --config FILE (JSON, or YAML ending in .yaml)\n');
    process.exit(2);
  }
  let config;
  try {
    config = await loadAgentConfig(path);
  } catch (error) {
    if (error instanceof AgentConfigError) {
      process.stderr.write(`stepwise-agent: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const clock = new SystemClock();
  const client = new RulesClient({
    apiUrl: config.stepwise.apiUrl,
    token: config.stepwise.token,
    service: config.service,
  });
  const agent = await startAgent(config, { clock, client, store: new FileAppliedState(config.stateFile) });
  const stop = (signal: string): void => {
    agent.log.info('stopping', { signal });
    void agent.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`stepwise-agent: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
