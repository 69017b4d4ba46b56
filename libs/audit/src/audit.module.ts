import { Global, Module } from '@nestjs/common';
import { AuditExportService } from './audit-export.service';
import { AuditLog } from './audit-log';
import { AuditQueryService } from './audit-query.service';
import { AuditReader } from './audit-reader';
import { AuditVerifyService } from './audit-verify.service';
import { IdempotencyKeys } from '@stepwise/idempotency/idempotency-keys';

/** The audit log's writer for every feature module, and the readers the audit API serves. */
@Global()
@Module({
  providers: [
    AuditLog,
    AuditReader,
    AuditQueryService,
    AuditVerifyService,
    AuditExportService,
    IdempotencyKeys,
  ],
  exports: [AuditLog, AuditQueryService, AuditVerifyService, AuditExportService, IdempotencyKeys],
})
export class AuditModule {}
