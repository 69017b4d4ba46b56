import { Logger } from '@nestjs/common';
import type { EnvironmentVariables } from './environment.schema';

/**
 * The key development and test fall back to when STEPWISE_SECRET_KEY is unset. It is public, so
 * anything it seals or signs is readable or forgeable by anyone with the source; configuration
 * refuses to start a production process without a real key.
 */
const DEVELOPMENT_SECRET_KEY = 'stepwise-development-only-secret-key:do-not-use-in-production';

/**
 * STEPWISE_SECRET_KEY, or the public development key outside production (with a warning). Every
 * process derives its keys from this one (webhook secrets sealed by the API, opened by the
 * worker; calendar feed keys), so all of them must read it here.
 */
export function secretKeyFromEnvironment(
  env: Pick<EnvironmentVariables, 'STEPWISE_SECRET_KEY' | 'NODE_ENV'>,
  logger = new Logger('SecretKey'),
): string {
  if (env.STEPWISE_SECRET_KEY) {
    return env.STEPWISE_SECRET_KEY;
  }
  if (env.NODE_ENV === 'production') {
    throw new Error('STEPWISE_SECRET_KEY is required in production');
  }
  logger.warn(
    'STEPWISE_SECRET_KEY is not set: secrets are sealed and signed with the public development key',
  );
  return DEVELOPMENT_SECRET_KEY;
}
