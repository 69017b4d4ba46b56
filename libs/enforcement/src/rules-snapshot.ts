import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { redisOptions } from '@stepwise/queue/redis-connection';
import { rulesChangedChannel } from './rules-change-notifier';
import { RulesDocument, toRulesDocument } from './rules-document.view';
import { DesiredVersion, ServiceRulesRepository } from './service-rules.repository';

/** How often the stored version is compared, in case a notice was missed. */
const VERSION_CHECK_MS = 2000;

/**
 * The in-memory read model of every service's rules document, as PlanSnapshot is for the plan:
 * loaded from `service_rules`, reloaded when the worker announces `rules-changed` or the periodic
 * version check sees a change. Reloads are incremental (rows computed since the newest one held);
 * if the result does not add up to the stored version, the whole table is read again.
 */
@Injectable()
export class RulesSnapshot implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RulesSnapshot.name);
  private documents = new Map<string, RulesDocument>();
  private newestComputedAt: Date | null = null;
  private version: DesiredVersion | null = null;
  private dirty = true;
  private loading: Promise<void> | null = null;
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repository: ServiceRulesRepository,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  onModuleInit(): void {
    const channel = rulesChangedChannel(this.config.get('STEPWISE_REDIS_PREFIX', { infer: true }));
    // Its own connection: a subscriber cannot issue other commands, and it must wait out outages.
    this.subscriber = new Redis({
      ...redisOptions(this.config.get('REDIS_URL', { infer: true }), 'worker'),
      connectionName: 'stepwise-rules-subscriber',
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

  /** The current document, or null when none has been computed for this service yet. */
  async get(serviceId: string): Promise<RulesDocument | null> {
    if (this.dirty || this.version === null) await this.reload();
    return this.documents.get(serviceId) ?? null;
  }

  markDirty(): void {
    this.dirty = true;
  }

  private reload(): Promise<void> {
    if (!this.loading) {
      this.dirty = false;
      this.loading = this.load()
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

  private async load(): Promise<void> {
    const incremental = this.newestComputedAt !== null;
    const { rows, version } = await this.repository.findDesiredRulesComputedSince(this.newestComputedAt);
    const documents = incremental ? new Map(this.documents) : new Map<string, RulesDocument>();
    let newest = incremental ? this.newestComputedAt : null;
    for (const row of rows) {
      documents.set(row.service_id, toRulesDocument(row));
      if (newest === null || row.computed_at > newest) newest = row.computed_at;
    }
    if (incremental && !matches(documents, version)) {
      // A row stored with an older computedAt than one already held (clock skew between workers):
      // read the whole table rather than serve a partial picture.
      this.newestComputedAt = null;
      return this.load();
    }
    this.documents = documents;
    this.newestComputedAt = newest;
    this.version = version;
  }

  private async checkVersion(): Promise<void> {
    if (this.dirty || this.version === null) return;
    try {
      const stored = await this.repository.desiredVersion();
      if (stored.count !== this.version.count || stored.generations !== this.version.generations)
        this.markDirty();
    } catch (error) {
      this.logger.warn(`rules version check failed: ${String(error)}`);
    }
  }
}

function matches(documents: ReadonlyMap<string, RulesDocument>, version: DesiredVersion): boolean {
  let generations = 0;
  for (const document of documents.values()) generations += document.generation;
  return documents.size === version.count && String(generations) === version.generations;
}
