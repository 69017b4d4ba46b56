import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CapabilityChangeEntity } from '@stepwise/persistence/capability-change.entity';
import { IntroductionChangeEntity } from '@stepwise/persistence/introduction-change.entity';
import { ServiceEntity } from '@stepwise/persistence/service.entity';

export interface ServicePageQuery {
  /** Service ids the reader may see; null: every service. */
  scope: readonly string[] | null;
  /** The last id of the previous page. */
  afterId?: string;
  /** Substring of the id or the name, any case (LIKE wildcards in it match themselves). */
  search?: string;
  tag?: string;
  limit: number;
}

/** Service directory statements; every method takes the manager of the caller's transaction. */
@Injectable()
export class ServiceRepository {
  findService(manager: EntityManager, id: string): Promise<ServiceEntity | null> {
    return manager.findOne(ServiceEntity, { where: { id } });
  }

  /**
   * One page of the directory by id: the services after `afterId` (none: from the first), within
   * `scope` (null: every service), whose id or name holds `search` (any case) and that carry `tag`.
   */
  findServicesPage(manager: EntityManager, page: ServicePageQuery): Promise<ServiceEntity[]> {
    const query = manager.createQueryBuilder(ServiceEntity, 's').orderBy('s.id', 'ASC').limit(page.limit);
    if (page.scope !== null) {
      query.andWhere('s.id = ANY(:scope)', { scope: [...page.scope] });
    }
    if (page.afterId !== undefined) {
      query.andWhere('s.id > :afterId', { afterId: page.afterId });
    }
    if (page.search !== undefined) {
      const pattern = `%${page.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      query.andWhere('(s.id ILIKE :pattern OR s.name ILIKE :pattern)', { pattern });
    }
    if (page.tag !== undefined) {
      query.andWhere(':tag = ANY(s.tags)', { tag: page.tag });
    }
    return query.getMany();
  }

  async findServiceIds(manager: EntityManager): Promise<Set<string>> {
    const rows = await manager.find(ServiceEntity, { select: { id: true } });
    return new Set(rows.map((row) => row.id));
  }

  /** Each service's facts in the order they apply: by effectiveAt, then by when they were recorded. */
  async findCapabilityHistories(
    manager: EntityManager,
    serviceIds: readonly string[],
  ): Promise<Map<string, CapabilityChangeEntity[]>> {
    const histories = new Map(serviceIds.map((id) => [id, [] as CapabilityChangeEntity[]]));
    if (serviceIds.length === 0) {
      return histories;
    }
    const facts = await manager.find(CapabilityChangeEntity, {
      where: { serviceId: In([...serviceIds]) },
      order: { effectiveAt: 'ASC', recordedAt: 'ASC', id: 'ASC' },
    });
    for (const fact of facts) {
      histories.get(fact.serviceId)?.push(fact);
    }
    return histories;
  }

  async insertService(manager: EntityManager, service: ServiceEntity): Promise<void> {
    await manager.insert(ServiceEntity, service);
  }

  async appendCapabilityChange(
    manager: EntityManager,
    fact: Omit<CapabilityChangeEntity, 'id' | 'service'>,
  ): Promise<void> {
    await manager.insert(CapabilityChangeEntity, fact);
  }

  async appendIntroduction(
    manager: EntityManager,
    fact: Omit<IntroductionChangeEntity, 'id' | 'service'>,
  ): Promise<void> {
    await manager.insert(IntroductionChangeEntity, fact);
  }

  /**
   * Optimistic concurrency: applies `changes` only if the row is still at `expectedVersion`, and
   * moves it to the next version. False when someone else changed it first (or it is gone).
   */
  async updateServiceIfVersion(
    manager: EntityManager,
    id: string,
    expectedVersion: number,
    changes: QueryDeepPartialEntity<ServiceEntity>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(ServiceEntity)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND version = :expectedVersion', { id, expectedVersion })
      .execute();
    return result.affected === 1;
  }

  /** A new capability fact changes the service's representation, so its ETag moves too. */
  async bumpVersion(manager: EntityManager, id: string, updatedAt: Date): Promise<number> {
    // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
    const [[row]] = await manager.query<[[{ version: number }], number]>(
      'UPDATE services SET version = version + 1, updated_at = $2 WHERE id = $1 RETURNING version',
      [id, updatedAt],
    );
    return row.version;
  }
}
