import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';

/** The audit log's writer, available to every feature module. */
@Global()
@Module({ providers: [AuditLog], exports: [AuditLog] })
export class AuditModule {}
