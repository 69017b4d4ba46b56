import { Logger } from '@nestjs/common';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { SecretBox } from '@stepwise/connectors/secret-box';

/**
 * The key development and test fall back to when STEPWISE_SECRET_KEY is unset. It is public, so
 * anything it seals is readable by anyone with the source; configuration refuses to start a
 * production process without a real key. Every process that seals or opens webhook secrets
 * (API, CLI, worker) must build its box here, or they would not open each other's secrets.
 */
const DEVELOPMENT_SECRET_KEY = 'stepwise-development-only-secret-key:do-not-use-in-production';

export function secretBoxFromEnvironment(
  env: Pick<EnvironmentVariables, 'STEPWISE_SECRET_KEY' | 'NODE_ENV'>,
  logger = new Logger('SecretBox'),
): SecretBox {
  if (env.STEPWISE_SECRET_KEY) return new SecretBox(env.STEPWISE_SECRET_KEY);
  if (env.NODE_ENV === 'production') throw new Error('STEPWISE_SECRET_KEY is required in production');
  logger.warn('STEPWISE_SECRET_KEY is not set: webhook secrets are sealed with the public development key');
  return new SecretBox(DEVELOPMENT_SECRET_KEY);
}
