import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
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

/**
 * The process's box, built on first use so that the development-key warning appears only in a
 * process that seals or opens something. One instance serves every sealer in the process (webhook
 * secrets, kept idempotent answers).
 */
@Injectable()
export class ProcessSecretBox {
  private built: SecretBox | null = null;

  constructor(private readonly config: ConfigService<EnvironmentVariables, true>) {}

  encrypt(plain: string): string {
    return this.box.encrypt(plain);
  }

  /** @throws when the sealed value was made under another key or altered. */
  decrypt(sealed: string): string {
    return this.box.decrypt(sealed);
  }

  private get box(): SecretBox {
    this.built ??= secretBoxFromEnvironment({
      STEPWISE_SECRET_KEY: this.config.get('STEPWISE_SECRET_KEY', { infer: true }),
      NODE_ENV: this.config.get('NODE_ENV', { infer: true }),
    });
    return this.built;
  }
}
