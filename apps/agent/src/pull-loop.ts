import { backoffDelayMs, type RulesClient, StepwiseApiError } from '@stepwise/connector';
import type { AgentLog } from './agent-log';
import type { RulesAgent } from './rules-agent';

/**
 * Pull mode: a conditional GET every interval; each new generation applied, then acknowledged
 * (only then). A failed pull, apply or ack is retried with backoff; a failed apply is retried at
 * the next pull, since the document stays newer than the applied generation.
 */
export class PullLoop {
  private etag: string | undefined;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: RulesClient,
    private readonly agent: RulesAgent,
    private readonly intervalMs: number,
    private readonly log: AgentLog,
  ) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Pull now (a webhook-less nudge, and tests); the regular schedule continues. */
  pullNow(): Promise<void> {
    this.running = this.running.then(() => this.once());
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      void this.pullNow().then(() =>
        this.schedule(this.failures === 0 ? this.intervalMs : this.retryDelay()),
      );
    }, delayMs);
  }

  private retryDelay(): number {
    return Math.min(this.intervalMs, Math.max(100, backoffDelayMs(this.failures, { baseMs: 500 })));
  }

  private async once(): Promise<void> {
    try {
      const result = await this.client.pull(this.etag);
      if (result.changed) {
        const outcome = await this.agent.offer(result.document);
        if (outcome === 'failed') {
          await this.agent.reportLastFailure();
          this.failures += 1;
          return;
        }
        if (outcome === 'applied' || outcome === 'already-applied') {
          await this.client.ack(result.document.generation);
        }
        this.etag = result.etag;
      }
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      const retryable = !(error instanceof StepwiseApiError) || error.retryable;
      this.log[retryable ? 'warn' : 'error']('pull failed', {
        error: String(error),
        failures: this.failures,
      });
    }
  }
}
