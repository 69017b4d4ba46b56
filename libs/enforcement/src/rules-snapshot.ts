import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { NotifiedReload } from '@stepwise/redis/notified-reload';
import { rulesChangedChannel } from './rules-change-notifier';
import { RulesDocument, toRulesDocument } from './rules-document.view';
import { DesiredVersion, ServiceRulesRepository } from './service-rules.repository';

/**
 * The in-memory read model of every service's rules document, as PlanSnapshot is for the plan:
 * loaded from `service_rules`, reloaded when the worker announces `rules-changed` or the periodic
 * version check sees a change. Reloads are incremental (rows computed since the newest one held);
 * if the result does not add up to the stored version, the whole table is read again.
 */
@Injectable()
export class RulesSnapshot implements OnModuleInit, OnModuleDestroy {
  private documents = new Map<string, RulesDocument>();
  private newestComputedAt: Date | null = null;
  private version: DesiredVersion | null = null;
  private readonly freshness: NotifiedReload;

  constructor(
    private readonly repository: ServiceRulesRepository,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    const redisUrl = config.get('REDIS_URL', { infer: true });
    this.freshness = new NotifiedReload({
      redisUrl,
      channel: rulesChangedChannel(redisUrl, config.get('STEPWISE_REDIS_PREFIX', { infer: true })),
      connectionName: 'stepwise-rules-subscriber',
      logger: new Logger(RulesSnapshot.name),
      isStale: async () => {
        const stored = await this.repository.desiredVersion();
        return stored.count !== this.version?.count || stored.generations !== this.version.generations;
      },
      reload: () => this.load(),
    });
  }

  onModuleInit(): void {
    this.freshness.start();
  }

  onModuleDestroy(): void {
    this.freshness.stop();
  }

  /** The current document, or null when none has been computed for this service yet. */
  async get(serviceId: string): Promise<RulesDocument | null> {
    await this.freshness.ensureFresh();
    return this.documents.get(serviceId) ?? null;
  }

  /**
   * Without waiting: the document (null: none computed yet) when the snapshot is loaded and no
   * change was announced since; undefined when `get` must be awaited.
   */
  peek(serviceId: string): RulesDocument | null | undefined {
    return this.version !== null && this.freshness.isFresh()
      ? (this.documents.get(serviceId) ?? null)
      : undefined;
  }

  markDirty(): void {
    this.freshness.markDirty();
  }

  private async load(): Promise<void> {
    const incremental = this.newestComputedAt !== null;
    const { rows, version } = await this.repository.findDesiredRulesComputedSince(this.newestComputedAt);
    const documents = incremental ? new Map(this.documents) : new Map<string, RulesDocument>();
    let newest = incremental ? this.newestComputedAt : null;
    for (const row of rows) {
      documents.set(row.service_id, toRulesDocument(row));
      if (newest === null || row.computed_at > newest) {
        newest = row.computed_at;
      }
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
}

function matches(documents: ReadonlyMap<string, RulesDocument>, version: DesiredVersion): boolean {
  let generations = 0;
  for (const document of documents.values()) {
    generations += document.generation;
  }
  return documents.size === version.count && String(generations) === version.generations;
}
