import { decide, type AppliedState, type FileAppliedState, type RulesDocument } from '@stepwise/connector';
import type { Clock } from '@stepwise/common/clock';
import type { EnforcementAdapter } from './adapters/adapter';
import type { AgentLog } from './agent-log';

export type OfferOutcome = 'applied' | 'already-applied' | 'older' | 'failed';

/** What the agent reports at /health. */
export interface AgentStatus {
  appliedGeneration: number;
  appliedHash: string | null;
  appliedAt: string | null;
  lastError: string | null;
  failedGeneration: number | null;
}

export interface FailureReporter {
  reportFailure(generation: number, error: string): Promise<void>;
}

/**
 * The agent's core: takes each rules document offered (pulled or pushed), applies what is newer
 * than the applied generation through the adapter, one at a time, and saves the applied state only
 * after the adapter confirmed. A failed apply leaves the state (and, through the adapter, the
 * enforcement point's configuration) as it was, to be reported to Stepwise (`reportLastFailure`).
 */
export class RulesAgent {
  private state: AppliedState | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private lastError: string | null = null;
  private failedGeneration: number | null = null;

  constructor(
    private readonly adapter: EnforcementAdapter,
    private readonly store: FileAppliedState,
    private readonly reporter: FailureReporter,
    private readonly clock: Clock,
    private readonly log: AgentLog,
  ) {}

  async start(): Promise<void> {
    this.state = await this.store.load();
    this.log.info('applied state loaded', { appliedGeneration: this.state?.generation ?? 0 });
  }

  get appliedGeneration(): number {
    return this.state?.generation ?? 0;
  }

  status(): AgentStatus {
    return {
      appliedGeneration: this.appliedGeneration,
      appliedHash: this.state?.hash ?? null,
      appliedAt: this.state?.appliedAt ?? null,
      lastError: this.lastError,
      failedGeneration: this.failedGeneration,
    };
  }

  /**
   * Tells Stepwise the last apply failed, so the rollout view shows it. The caller chooses when: a
   * webhook receiver answers its 500 first, so that the report is the service's last word.
   */
  async reportLastFailure(): Promise<void> {
    if (this.failedGeneration === null || this.lastError === null) {
      return;
    }
    await this.reporter
      .reportFailure(this.failedGeneration, this.lastError)
      .catch((error: unknown) =>
        this.log.warn('could not report the failure to Stepwise', { error: String(error) }),
      );
  }

  /** Applies the document if it is new; concurrent offers run one after the other. */
  offer(document: RulesDocument): Promise<OfferOutcome> {
    const next = this.chain.then(() => this.applyIfNew(document));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async applyIfNew(document: RulesDocument): Promise<OfferOutcome> {
    const decision = decide(document, this.state);
    if (decision !== 'apply') {
      this.log.debug('generation skipped', { generation: document.generation, decision });
      return decision;
    }
    const started = performance.now();
    try {
      await this.adapter.apply(document);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.lastError = message;
      this.failedGeneration = document.generation;
      this.log.error('apply failed: previous configuration kept', {
        generation: document.generation,
        adapter: this.adapter.name,
        error: message,
      });
      return 'failed';
    }
    const state = {
      service: document.service,
      generation: document.generation,
      hash: document.hash,
      appliedAt: this.clock.now().toISO() as string,
    };
    await this.store.save(state);
    this.state = state;
    this.lastError = null;
    this.failedGeneration = null;
    this.log.info('generation applied', {
      generation: document.generation,
      adapter: this.adapter.name,
      ms: Math.round(performance.now() - started),
    });
    return 'applied';
  }
}
