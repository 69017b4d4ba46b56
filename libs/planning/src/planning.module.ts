import { Module } from '@nestjs/common';
import { ConnectorSettings } from './connector-settings';
import { PlanChangeModule } from './plan-change.module';
import { PlanDocumentImporter } from './plan-document-importer.service';
import { PlanImportService } from './plan-import.service';
import { PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';
import { RevisionDraftService } from './revision-draft.service';
import { RevisionLifecycleService } from './revision-lifecycle.service';
import { RevisionPublisher } from './revision-publisher.service';
import { RevisionQuery } from './revision-query.service';
import { RevisionRepository } from './revision.repository';
import { ProcessSecretBox } from './secret-box.factory';
import { ServiceDirectory } from './service-directory.service';
import { ServiceQuery } from './service-query.service';
import { ServiceRegistrar } from './service-registrar';
import { ServiceUpdater } from './service-update.service';
import { ServiceRepository } from './service.repository';
import { ServicesImportService } from './services-import.service';

const FEATURES = [
  ServiceDirectory,
  ServiceUpdater,
  ServiceQuery,
  PolicyService,
  RevisionDraftService,
  RevisionLifecycleService,
  RevisionPublisher,
  RevisionQuery,
  PlanDocumentImporter,
];

/**
 * The service directory, policies, revisions and plan files, with no HTTP types: the API's
 * controllers and the CLI call these same services, so validation and audit are identical.
 * Needs the global config, clock, TypeORM DataSource, AuditLog and Redis client modules around it.
 */
@Module({
  imports: [PlanChangeModule],
  providers: [
    ProcessSecretBox,
    ConnectorSettings,
    ServiceRepository,
    PolicyRepository,
    RevisionRepository,
    ServiceRegistrar,
    PlanImportService,
    ServicesImportService,
    ...FEATURES,
  ],
  exports: [...FEATURES, ProcessSecretBox],
})
export class PlanningModule {}
