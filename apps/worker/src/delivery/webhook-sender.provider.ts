import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { SecretBox } from '@stepwise/connectors/secret-box';
import { WebhookSender } from '@stepwise/connectors/webhook-sender';
import { WebhookTargetPolicy } from '@stepwise/connectors/webhook-target-policy';
import { secretBoxFromEnvironment } from '@stepwise/planning/secret-box.factory';

/**
 * Sealed secrets repeat across deliveries; opening one costs an AES-GCM pass (figure in
 * docs/benchmarks.md). Each fan-out opens every service's in turn, so the cache must hold them
 * all (it is emptied when full, and one smaller than the directory misses every time): five
 * times the design's 10,000.
 */
const SECRET_CACHE_MAX = 50_000;

/**
 * The process's one webhook sender (it owns the keep-alive connection pools and the SSRF-checked
 * dispatcher) and the secret box that opens `services.webhook_secret_enc`.
 */
@Injectable()
export class WebhookSenderProvider {
  readonly sender: WebhookSender;
  private readonly box: SecretBox;
  private readonly secrets = new Map<string, string>();

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    this.sender = new WebhookSender({
      policy: WebhookTargetPolicy.fromAllowlist(config.get('STEPWISE_WEBHOOK_ALLOWLIST', { infer: true })),
      timeoutMs: config.get('STEPWISE_WEBHOOK_TIMEOUT_MS', { infer: true }),
    });
    this.box = secretBoxFromEnvironment({
      STEPWISE_SECRET_KEY: config.get('STEPWISE_SECRET_KEY', { infer: true }),
      NODE_ENV: config.get('NODE_ENV', { infer: true }),
    });
  }

  /** @throws when the sealed value was made under another key or altered. */
  openSecret(sealed: string): string {
    let secret = this.secrets.get(sealed);
    if (secret === undefined) {
      secret = this.box.decrypt(sealed);
      if (this.secrets.size >= SECRET_CACHE_MAX) {
        this.secrets.clear();
      }
      this.secrets.set(sealed, secret);
    }
    return secret;
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}
