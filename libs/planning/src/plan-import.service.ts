import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditContext, AuditedTransaction, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { parsePlanFile, type PlanFile, type PlanFileRevision } from '@stepwise/domain/plan-file';
import type { PolicyEntity } from '@stepwise/persistence/policy.entity';
import { RevisionEntity } from '@stepwise/persistence/revision.entity';
import { PlanChangeNotifier } from './plan-change-notifier';
import { importConflicts, previewPlanImport, type PlanImportPreview } from './plan-import-planner';
import { concurrentImport, isUniqueViolation } from './planning-errors';
import { PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';
import { RevisionRepository } from './revision.repository';
import { revisionAuditView } from './revision-view';
import { ServiceRepository } from './service.repository';

export interface PlanImportResult {
  kind: 'plan';
  policy: string;
  policyCreated: boolean;
  added: number[];
  unchanged: number[];
}

/**
 * Loads a plan file (one policy, its revisions in order) through the same rules as the API:
 * validated by the domain, idempotent, never rewriting a published revision, audited.
 */
@Injectable()
export class PlanImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly policies: PolicyRepository,
    private readonly policyService: PolicyService,
    private readonly revisions: RevisionRepository,
    private readonly services: ServiceRepository,
    private readonly notifier: PlanChangeNotifier,
  ) {}

  /** What importing would add, leave and refuse; writes nothing. */
  async preview(document: unknown): Promise<PlanImportPreview> {
    const manager = this.dataSource.manager;
    const file = await this.parse(manager, document);
    const policy = await this.policies.findPolicy(manager, file.policy.id);
    const stored = policy ? await this.revisions.listRevisions(manager, policy.id) : [];
    return previewPlanImport(file, policy, stored, this.clock.now().toJSDate());
  }

  async import(context: AuditContext, document: unknown): Promise<PlanImportResult> {
    const now = this.clock.now().toJSDate();
    const result = await this.auditLog
      .change(context, async (tx) => {
        const file = await this.parse(tx.manager, document);
        const stored = await this.policies.findPolicyForUpdate(tx.manager, file.policy.id);
        const existing = stored ? await this.revisions.listRevisions(tx.manager, stored.id) : [];
        const preview = previewPlanImport(file, stored, existing, now);
        const conflicts = importConflicts(preview);
        if (conflicts.length > 0) {
          throw new DomainError(ErrorCode.Conflict, conflicts.join('; '));
        }
        const policy = stored ?? (await this.policyService.insert(tx, file.policy));
        const added: number[] = [];
        for (const step of preview.revisions.filter((candidate) => candidate.action === 'add')) {
          await this.addRevision(tx, context, policy, step.number, file.revisions[step.number - 1], now);
          added.push(step.number);
        }
        const unchanged = preview.revisions
          .filter((step) => step.action === 'unchanged')
          .map((step) => step.number);
        const outcome: PlanImportResult = {
          kind: 'plan',
          policy: policy.id,
          policyCreated: !stored,
          added,
          unchanged,
        };
        if (added.length > 0 || !stored) {
          tx.audit({
            action: 'plan.imported',
            resourceType: 'policy',
            resourceId: policy.id,
            after: outcome,
          });
        }
        return outcome;
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? concurrentImport('this plan file') : error;
      });
    if (result.added.length > 0) {
      await this.notifier.notify({ kind: 'policy', id: result.policy });
    }
    return result;
  }

  private async parse(manager: EntityManager, document: unknown): Promise<PlanFile> {
    const parsed = parsePlanFile(document, await this.services.findServiceIds(manager));
    if (!parsed.ok) {
      throw DomainError.validation(parsed.errors);
    }
    return parsed.value;
  }

  /**
   * Stored published, authored by the importer (who answers for the file). The approver is the
   * one the file names, else none: the approval happened outside Stepwise and the file does not
   * say by whom, and the importer is the author, whom four-eyes never lets approve. The file's own
   * author goes to the audit event as `fileAuthor`. A publishAt already past is flagged `imported`.
   */
  private async addRevision(
    { manager, audit }: AuditedTransaction,
    context: AuditContext,
    policy: PolicyEntity,
    number: number,
    wanted: PlanFileRevision,
    now: Date,
  ): Promise<void> {
    const base = policy.latestPublished;
    const publishAt = new Date(wanted.publishAt);
    const revision = manager.create(RevisionEntity, {
      policyId: policy.id,
      number,
      status: 'published',
      summary: wanted.summary,
      reason: wanted.reason,
      sourceUrl: wanted.sourceUrl,
      publishAt,
      plan: wanted.plan as unknown as Record<string, unknown>,
      baseRevision: base,
      authorId: context.actor.id,
      authorName: context.actor.name,
      // A named approver is a name from the file, not a token: it has no id.
      approvedById: null,
      approvedByName: wanted.approvedBy,
      statusReason: 'imported from a plan file',
      imported: publishAt < now,
      recordedLate: false,
      recordedAt: now,
      publishedAt: now,
      updatedAt: now,
    });
    await this.revisions.insertRevision(manager, revision);
    // The policy row is locked by this transaction, so the head cannot move under the import.
    if (!(await this.policies.movePublishedHead(manager, policy.id, base, number))) {
      throw new DomainError(ErrorCode.StaleBase, `policy '${policy.id}' moved during the import; retry it`);
    }
    policy.latestPublished = number;
    audit({
      action: 'revision.imported',
      resourceType: 'revision',
      resourceId: `${policy.id}/${number}`,
      after: {
        ...revisionAuditView(revision),
        summary: wanted.summary,
        plan: wanted.plan,
        fileAuthor: wanted.author,
      },
      reason: wanted.reason,
    });
  }
}
