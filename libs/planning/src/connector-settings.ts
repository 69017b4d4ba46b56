import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { DomainError } from '@stepwise/common/domain-error';
import { generateWebhookSecret, isValidWebhookSecret } from '@stepwise/connectors/webhook-secret';
import { WebhookTargetPolicy } from '@stepwise/connectors/webhook-target-policy';
import type { ConnectorType } from '@stepwise/persistence/service.entity';
import type { ConnectorInput } from './service-input';
import { ProcessSecretBox } from './secret-box.factory';

/** The connector as stored, and the secret to show once when one was set. */
export interface SealedConnector {
  columns: { connectorType: ConnectorType; webhookUrl: string | null; webhookSecretEncrypted: string | null };
  secretShownOnce: string | null;
}

/**
 * Turns a connector as a caller gives it into what is stored: the webhook URL checked against the
 * SSRF policy at registration (the sender checks every address again at connect time), the secret
 * checked or generated, then sealed; the plain secret never reaches the database or the audit log.
 */
@Injectable()
export class ConnectorSettings {
  private readonly targets: WebhookTargetPolicy;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly secretBox: ProcessSecretBox,
  ) {
    this.targets = WebhookTargetPolicy.fromAllowlist(
      config.get('STEPWISE_WEBHOOK_ALLOWLIST', { infer: true }),
    );
  }

  /** @throws DomainError 400 naming `<path>.url` or `<path>.secret`. */
  async seal(connector: ConnectorInput, path = 'connector'): Promise<SealedConnector> {
    if (connector.type === 'pull') {
      const stray = (['url', 'secret'] as const).find((field) => connector[field] !== undefined);
      if (stray) {
        throw DomainError.validation([
          { field: `${path}.${stray}`, message: 'is not a field of a pull connector' },
        ]);
      }
      return {
        columns: { connectorType: 'pull', webhookUrl: null, webhookSecretEncrypted: null },
        secretShownOnce: null,
      };
    }
    if (typeof connector.url !== 'string') {
      throw DomainError.validation([
        { field: `${path}.url`, message: 'is required for a webhook connector' },
      ]);
    }
    const target = await this.targets.checkUrl(connector.url);
    if (!target.ok) {
      throw DomainError.validation([{ field: `${path}.url`, message: `refused: ${target.reason}` }]);
    }
    if (
      connector.secret !== undefined &&
      connector.secret !== null &&
      !isValidWebhookSecret(connector.secret)
    ) {
      throw DomainError.validation([
        { field: `${path}.secret`, message: "must be 'whsec_' followed by base64 of at least 24 bytes" },
      ]);
    }
    const secret = connector.secret ?? generateWebhookSecret();
    return {
      columns: {
        connectorType: 'webhook',
        webhookUrl: connector.url,
        webhookSecretEncrypted: this.secretBox.encrypt(secret),
      },
      secretShownOnce: secret,
    };
  }
}
