import { Injectable } from '@nestjs/common';
import { EntityManager, In, LessThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { RevisionEntity, type RevisionStatus } from '@stepwise/persistence/revision.entity';

/** Revision statements; every method takes the manager of the caller's transaction. */
@Injectable()
export class RevisionRepository {
  findRevision(manager: EntityManager, policyId: string, number: number): Promise<RevisionEntity | null> {
    return manager.findOne(RevisionEntity, { where: { policyId, number } });
  }

  listRevisions(manager: EntityManager, policyId: string): Promise<RevisionEntity[]> {
    return manager.find(RevisionEntity, { where: { policyId }, order: { number: 'ASC' } });
  }

  /** A page of the policy's revisions, newest (highest number) first, below `beforeNumber` if given. */
  findRevisionsNewestFirst(
    manager: EntityManager,
    policyId: string,
    beforeNumber: number | undefined,
    limit: number,
  ): Promise<RevisionEntity[]> {
    return manager.find(RevisionEntity, {
      where: { policyId, ...(beforeNumber === undefined ? {} : { number: LessThan(beforeNumber) }) },
      order: { number: 'DESC' },
      take: limit,
    });
  }

  /** Call under the policy's row lock, or two drafts could take the same number. */
  async nextRevisionNumber(manager: EntityManager, policyId: string): Promise<number> {
    const [row] = await manager.query<{ next: number }[]>(
      'SELECT COALESCE(MAX(number), 0) + 1 AS next FROM revisions WHERE policy_id = $1',
      [policyId],
    );
    return Number(row.next);
  }

  async insertRevision(manager: EntityManager, revision: RevisionEntity): Promise<void> {
    await manager.insert(RevisionEntity, revision as QueryDeepPartialEntity<RevisionEntity>);
  }

  /** The revision in force at `at` for each policy: newest publishAt (then number) that has come. */
  async findActiveRevisionNumbers(
    manager: EntityManager,
    policyIds: readonly string[],
    at: Date,
  ): Promise<Map<string, number>> {
    if (policyIds.length === 0) {
      return new Map();
    }
    const rows = await manager.query<{ policy_id: string; number: number }[]>(
      `SELECT DISTINCT ON (policy_id) policy_id, number FROM revisions
        WHERE policy_id = ANY($1) AND status = 'published' AND publish_at <= $2
        ORDER BY policy_id, publish_at DESC, number DESC`,
      [[...policyIds], at],
    );
    return new Map(rows.map((row) => [row.policy_id, Number(row.number)]));
  }

  /**
   * Applies a transition only if the revision is still in `from`: of two concurrent transitions
   * of one revision, the second finds the status moved and changes nothing.
   */
  async transitionIfStatus(
    manager: EntityManager,
    key: { policyId: string; number: number },
    from: readonly RevisionStatus[],
    changes: QueryDeepPartialEntity<RevisionEntity>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(RevisionEntity)
      .set(changes)
      .where({ policyId: key.policyId, number: key.number, status: In([...from]) })
      .execute();
    return result.affected === 1;
  }
}
