import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { CompiledPolicy, compilePolicies } from '@stepwise/domain/compiled-plan';
import { CompiledService, compileService } from '@stepwise/domain/compiled-service';
import type { PolicyWithRevisions } from '@stepwise/domain/plan.types';
import { PlanChangeNotifier, planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import { NotifiedReload } from '@stepwise/redis/notified-reload';
import { PlanLoader } from './plan-loader';

/** The compiled plan and directory one process answers hot reads from. */
export interface CompiledPlan {
  policies: CompiledPolicy[];
  /** The same policies as loaded (what-if analysis recompiles them with a draft added). */
  sources: PolicyWithRevisions[];
  services: ReadonlyMap<string, CompiledService>;
  version: string;
}

/**
 * The in-memory read model of the plan: compiled once, rebuilt when this process commits a change,
 * a `plan-changed` notice arrives or the periodic version check sees a change. Reads never recompute from the database
 * per request.
 */
@Injectable()
export class PlanSnapshot implements OnModuleInit, OnModuleDestroy {
  private compiled: CompiledPlan | null = null;
  private readonly freshness: NotifiedReload;

  constructor(
    private readonly loader: PlanLoader,
    notifier: PlanChangeNotifier,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    const redisUrl = config.get('REDIS_URL', { infer: true });
    this.freshness = new NotifiedReload({
      redisUrl,
      channel: planChangedChannel(redisUrl, config.get('STEPWISE_REDIS_PREFIX', { infer: true })),
      connectionName: 'stepwise-plan-subscriber',
      logger: new Logger(PlanSnapshot.name),
      isStale: async () => (await this.loader.version()) !== this.compiled?.version,
      reload: () => this.load(),
    });
    // A change committed by this process makes the snapshot stale before the write answers, so
    // the writer's next read here sees it; other instances learn of it from the notice.
    notifier.onLocalChange(() => this.markDirty());
  }

  onModuleInit(): void {
    this.freshness.start();
  }

  onModuleDestroy(): void {
    this.freshness.stop();
  }

  /** The current compiled plan, rebuilt first if a change was announced since the last build. */
  async current(): Promise<CompiledPlan> {
    await this.freshness.ensureFresh();
    if (!this.compiled) {
      throw new Error('plan snapshot failed to load');
    }
    return this.compiled;
  }

  /** The compiled plan if it is loaded and no change was announced since; null otherwise. */
  peek(): CompiledPlan | null {
    return this.freshness.isFresh() ? this.compiled : null;
  }

  markDirty(): void {
    this.freshness.markDirty();
  }

  private async load(): Promise<void> {
    const inputs = await this.loader.load();
    this.compiled = {
      policies: compilePolicies(inputs.policies),
      sources: inputs.policies,
      services: new Map(inputs.services.map((s) => [s.id, compileService(s)])),
      version: inputs.version,
    };
  }
}
