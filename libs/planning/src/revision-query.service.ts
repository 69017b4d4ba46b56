import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@stepwise/common/domain-error';
import { Page, PageCursor, pageLimit, PageRequest, toPage } from '@stepwise/common/page-cursor';
import { diffRevisionPlans, type RevisionPlanDiff } from '@stepwise/domain/diff';
import type { RevisionPlan } from '@stepwise/domain/plan.types';
import type { RevisionEntity } from '@stepwise/persistence/revision.entity';
import { PolicyRepository } from './policy.repository';
import { RevisionRepository } from './revision.repository';
import { toRevisionView, type RevisionView } from './revision-view';

export interface RevisionDiffView extends RevisionPlanDiff {
  policy: string;
  revision: number;
  /** The revision compared against; null compares with an empty plan (a first revision). */
  against: number | null;
}

const REVISION_CURSOR = new PageCursor('revisions', ['number']);

@Injectable()
export class RevisionQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policies: PolicyRepository,
    private readonly revisions: RevisionRepository,
  ) {}

  /** One page of the policy's revisions, newest first: the drafts and the one in force come first. */
  async list(policyId: string, request: PageRequest): Promise<Page<RevisionView>> {
    const manager = this.dataSource.manager;
    const limit = pageLimit(request);
    const [beforeNumber] = request.cursor === undefined ? [] : REVISION_CURSOR.decode(request.cursor);
    if (!(await this.policies.findPolicy(manager, policyId))) {
      throw DomainError.notFound('policy', policyId);
    }
    // One row more than the page tells whether an older page exists.
    const rows = await this.revisions.findRevisionsNewestFirst(manager, policyId, beforeNumber, limit + 1);
    return toPage(rows, limit, toRevisionView, (last) => REVISION_CURSOR.encode([last.number]));
  }

  async get(policyId: string, number: number): Promise<RevisionView> {
    return toRevisionView(await this.find(policyId, number));
  }

  /** Phase by phase (by key), then statement and standing rules; `against` defaults to the base. */
  async diff(policyId: string, number: number, against: number | undefined): Promise<RevisionDiffView> {
    const newer = await this.find(policyId, number);
    const otherNumber = against ?? newer.baseRevision;
    const older = otherNumber === null ? null : await this.find(policyId, otherNumber);
    const planOf = (revision: RevisionEntity) => revision.plan as unknown as RevisionPlan;
    return {
      policy: policyId,
      revision: number,
      against: otherNumber,
      ...diffRevisionPlans(older === null ? null : planOf(older), planOf(newer)),
    };
  }

  private async find(policyId: string, number: number): Promise<RevisionEntity> {
    const revision = await this.revisions.findRevision(this.dataSource.manager, policyId, number);
    if (!revision) {
      throw DomainError.notFound('revision', `${policyId}/${number}`);
    }
    return revision;
  }
}
