import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { CompiledPolicy, compilePolicies } from '@stepwise/domain/compiled-plan';
import { CompiledService, compileService } from '@stepwise/domain/compiled-service';
import type { PolicyWithRevisions } from '@stepwise/domain/plan.types';
import { planChangedChannel } from '@stepwise/planning/plan-change-notifier';
import { redisOptions } from '@stepwise/queue/redis-connection';
import { PlanLoader } from './plan-loader';

/** The compiled plan and directory one process answers hot reads from. */
export interface CompiledPlan {
  policies: CompiledPolicy[];
  /** The same policies as loaded (what-if analysis recompiles them with a draft added). */
  sources: PolicyWithRevisions[];
  services: ReadonlyMap<string, CompiledService>;
  version: string;
  loadedAt: number;
}

/** How often the version is compared with the database, in case a notice was missed. */
const VERSION_CHECK_MS = 2000;

/**
 * The in-memory read model of the plan: compiled once, rebuilt when a `plan-changed` notice
 * arrives (every API instance subscribes) or when the periodic version check sees a change.
 * Reads never recompute from the database per request.
 */
@Injectable()
export class PlanSnapshot implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PlanSnapshot.name);
  private compiled: CompiledPlan | null = null;
  private dirty = true;
  private loading: Promise<CompiledPlan> | null = null;
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly loader: PlanLoader,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  onModuleInit(): void {
    const url = this.config.get('REDIS_URL', { infer: true });
    const channel = planChangedChannel(this.config.get('STEPWISE_REDIS_PREFIX', { infer: true }));
    // A subscriber connection of its own: it waits out outages and resubscribes by itself.
    this.subscriber = new Redis({
      ...redisOptions(url, 'worker'),
      connectionName: 'stepwise-plan-subscriber',
    });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', () => this.markDirty());
    this.subscriber.on('ready', () => this.markDirty());
    this.subscriber
      .subscribe(channel)
      .catch((error: unknown) => this.logger.warn(`subscribe failed: ${String(error)}`));
    this.timer = setInterval(() => void this.checkVersion(), VERSION_CHECK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.subscriber?.disconnect();
  }

  /** The current compiled plan, rebuilt first if a change was announced since the last build. */
  async current(): Promise<CompiledPlan> {
    if (this.compiled && !this.dirty) return this.compiled;
    return this.reload();
  }

  markDirty(): void {
    this.dirty = true;
  }

  private reload(): Promise<CompiledPlan> {
    if (!this.loading) {
      this.dirty = false;
      this.loading = this.loader
        .load()
        .then((inputs) => {
          const services = new Map(inputs.services.map((s) => [s.id, compileService(s)]));
          this.compiled = {
            policies: compilePolicies(inputs.policies),
            sources: inputs.policies,
            services,
            version: inputs.version,
            loadedAt: Date.now(),
          };
          return this.compiled;
        })
        .catch((error: unknown) => {
          this.dirty = true;
          throw error;
        })
        .finally(() => {
          this.loading = null;
        });
    }
    return this.loading;
  }

  private async checkVersion(): Promise<void> {
    if (!this.compiled || this.dirty) return;
    try {
      if ((await this.loader.version()) !== this.compiled.version) this.markDirty();
    } catch (error) {
      this.logger.warn(`plan version check failed: ${String(error)}`);
    }
  }
}
