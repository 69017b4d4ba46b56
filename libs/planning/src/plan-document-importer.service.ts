import { Injectable } from '@nestjs/common';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { planDocumentKind, readPlanDocument } from './plan-document';
import type { PlanImportPreview } from './plan-import-planner';
import { PlanImportService, type PlanImportResult } from './plan-import.service';
import {
  ServicesImportService,
  type ServicesImportPreview,
  type ServicesImportResult,
} from './services-import.service';

/** One entry point for both file kinds (the API's /plans/import and the CLI): a plan or a services file. */
@Injectable()
export class PlanDocumentImporter {
  constructor(
    private readonly plans: PlanImportService,
    private readonly services: ServicesImportService,
  ) {}

  async import(context: AuditContext, content: unknown): Promise<PlanImportResult | ServicesImportResult> {
    const document = readPlanDocument(content);
    return planDocumentKind(document) === 'services'
      ? this.services.import(context, document)
      : this.plans.import(context, document);
  }

  async preview(content: unknown): Promise<PlanImportPreview | ServicesImportPreview> {
    const document = readPlanDocument(content);
    return planDocumentKind(document) === 'services'
      ? this.services.preview(document)
      : this.plans.preview(document);
  }
}
