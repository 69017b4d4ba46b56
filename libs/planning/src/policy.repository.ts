import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PolicyEntity } from '@stepwise/persistence/policy.entity';

/** Policy statements; every method takes the manager of the caller's transaction. */
@Injectable()
export class PolicyRepository {
  findPolicy(manager: EntityManager, id: string): Promise<PolicyEntity | null> {
    return manager.findOne(PolicyEntity, { where: { id } });
  }

  /** Serialises drafting and importing on one policy (revision numbers are taken under it). */
  findPolicyForUpdate(manager: EntityManager, id: string): Promise<PolicyEntity | null> {
    return manager.findOne(PolicyEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  listPolicies(manager: EntityManager): Promise<PolicyEntity[]> {
    return manager.find(PolicyEntity, { order: { id: 'ASC' } });
  }

  async insertPolicy(manager: EntityManager, policy: PolicyEntity): Promise<void> {
    await manager.insert(PolicyEntity, policy);
  }

  /**
   * Makes `number` the newest published revision only if `base` still is: the row count decides
   * which of two concurrent publications on one base wins (the loser's UPDATE waits for the
   * winner's commit, then finds the condition false). `IS NOT DISTINCT FROM` lets a first
   * publication (base null) race the same way.
   */
  async movePublishedHead(
    manager: EntityManager,
    policyId: string,
    base: number | null,
    number: number,
  ): Promise<boolean> {
    const [, affected] = await manager.query<[unknown, number]>(
      `UPDATE policies SET latest_published = $3 WHERE id = $1 AND latest_published IS NOT DISTINCT FROM $2`,
      [policyId, base, number],
    );
    return affected === 1;
  }
}
