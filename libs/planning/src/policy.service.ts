import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditContext, AuditedTransaction, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import type { PolicyModel } from '@stepwise/domain/plan.types';
import { validatePolicyInput } from '@stepwise/domain/revision-validation';
import { PolicyEntity } from '@stepwise/persistence/policy.entity';
import { PlanChangeNotifier } from './plan-change-notifier';
import { duplicate, isUniqueViolation } from './planning-errors';
import { PolicyRepository } from './policy.repository';
import { policyAuditView, toPolicyView, type PolicyView } from './policy-view';
import { RevisionRepository } from './revision.repository';

/** Policies: `{id, title, timezone, populations?, requireApproval?}`, validated by the domain. */
@Injectable()
export class PolicyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly policies: PolicyRepository,
    private readonly revisions: RevisionRepository,
    private readonly notifier: PlanChangeNotifier,
  ) {}

  async create(context: AuditContext, body: unknown): Promise<PolicyView> {
    const checked = validatePolicyInput(body);
    if (!checked.ok) {
      throw DomainError.validation(checked.errors);
    }
    const model = checked.policy;
    const view = await this.auditLog
      .change(context, async (tx) => {
        if (await this.policies.findPolicy(tx.manager, model.id)) {
          throw duplicate('policy', model.id);
        }
        return toPolicyView(await this.insert(tx, model), null);
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? duplicate('policy', model.id) : error;
      });
    // Its populations are answerable at once (requirements refuse an unknown population).
    await this.notifier.notify({ kind: 'policy', id: model.id });
    return view;
  }

  /** Inside the caller's transaction (the plan import creates its policy this way too). */
  async insert({ manager, audit }: AuditedTransaction, model: PolicyModel): Promise<PolicyEntity> {
    const policy = manager.create(PolicyEntity, {
      ...model,
      instructionsUrl: model.instructionsUrl ?? null,
      latestPublished: null,
      createdAt: this.clock.now().toJSDate(),
    });
    await this.policies.insertPolicy(manager, policy);
    audit({
      action: 'policy.created',
      resourceType: 'policy',
      resourceId: policy.id,
      after: policyAuditView(policy),
    });
    return policy;
  }

  async get(id: string): Promise<PolicyView> {
    const policy = await this.policies.findPolicy(this.dataSource.manager, id);
    if (!policy) {
      throw DomainError.notFound('policy', id);
    }
    return (await this.withActiveRevisions(this.dataSource.manager, [policy]))[0];
  }

  async list(): Promise<PolicyView[]> {
    const manager = this.dataSource.manager;
    return this.withActiveRevisions(manager, await this.policies.listPolicies(manager));
  }

  private async withActiveRevisions(manager: EntityManager, policies: PolicyEntity[]): Promise<PolicyView[]> {
    const active = await this.revisions.findActiveRevisionNumbers(
      manager,
      policies.map((policy) => policy.id),
      this.clock.now().toJSDate(),
    );
    return policies.map((policy) => toPolicyView(policy, active.get(policy.id) ?? null));
  }
}
