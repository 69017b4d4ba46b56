import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PostponementEntity, type PostponementStatus } from '@stepwise/persistence/postponement.entity';

export interface PostponementPageQuery {
  /** Service ids the reader may see; null: all. */
  scope: readonly string[] | null;
  service?: string;
  status?: PostponementStatus;
  /** Keyset: rows with a smaller id (newest first). */
  beforeId?: number;
  limit: number;
}

export type Decision = Pick<
  PostponementEntity,
  'status' | 'decidedById' | 'decidedByName' | 'decisionReason' | 'decidedAt'
>;

@Injectable()
export class PostponementRepository {
  async insert(manager: EntityManager, row: Omit<PostponementEntity, 'id'>): Promise<PostponementEntity> {
    return manager.getRepository(PostponementEntity).save(manager.create(PostponementEntity, row));
  }

  findOpen(
    manager: EntityManager,
    key: { policyId: string; phaseKey: string; serviceId: string },
  ): Promise<PostponementEntity | null> {
    return manager.getRepository(PostponementEntity).findOneBy({ ...key, status: 'requested' });
  }

  /** The row, locked until the transaction ends, so two decisions on it go one after the other. */
  findForDecision(manager: EntityManager, id: string): Promise<PostponementEntity | null> {
    return manager
      .getRepository(PostponementEntity)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.id = :id', { id })
      .getOne();
  }

  findById(manager: EntityManager, id: string): Promise<PostponementEntity | null> {
    return manager.getRepository(PostponementEntity).findOneBy({ id });
  }

  /** Decides an open request; false when it was no longer open. */
  async decideIfOpen(manager: EntityManager, id: string, decision: Decision): Promise<boolean> {
    const result = await manager
      .getRepository(PostponementEntity)
      .update({ id, status: 'requested' }, decision);
    return result.affected === 1;
  }

  findPage(manager: EntityManager, query: PostponementPageQuery): Promise<PostponementEntity[]> {
    const builder = manager.getRepository(PostponementEntity).createQueryBuilder('p');
    if (query.scope !== null) {
      builder.andWhere('p.service_id = ANY(:scope)', { scope: [...query.scope] });
    }
    if (query.service !== undefined) {
      builder.andWhere('p.service_id = :service', { service: query.service });
    }
    if (query.status !== undefined) {
      builder.andWhere('p.status = :status', { status: query.status });
    }
    if (query.beforeId !== undefined) {
      builder.andWhere('p.id < :beforeId', { beforeId: query.beforeId });
    }
    return builder.orderBy('p.id', 'DESC').limit(query.limit).getMany();
  }
}
