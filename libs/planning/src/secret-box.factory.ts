import { Logger } from '@nestjs/common';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { secretKeyFromEnvironment } from '@stepwise/config/secret-key';
import { SecretBox } from '@stepwise/connectors/secret-box';

/**
 * The box every process that seals or opens webhook secrets (API, CLI, worker) must build, or
 * they would not open each other's secrets.
 */
export function secretBoxFromEnvironment(
  env: Pick<EnvironmentVariables, 'STEPWISE_SECRET_KEY' | 'NODE_ENV'>,
  logger = new Logger('SecretBox'),
): SecretBox {
  return new SecretBox(secretKeyFromEnvironment(env, logger));
}
