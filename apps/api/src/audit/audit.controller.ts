import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { EXPORT_CONTENT_TYPES, AuditExportService } from '@stepwise/audit/audit-export.service';
import type { AuditFilter } from '@stepwise/audit/audit-filter';
import { AuditQueryService } from '@stepwise/audit/audit-query.service';
import { AuditVerifyService } from '@stepwise/audit/audit-verify.service';
import { DomainError } from '@stepwise/common/domain-error';
import { Access } from '../auth/access.decorator';
import { AuditExportQueryDto, AuditFilterQueryDto, AuditPageQueryDto } from './audit-query.dto';
import { AuditPageDto, AuditVerificationDto } from './audit.dto';
import { parseInstant } from './is-instant.validator';

/** The validated query as the audit readers take it; an empty time window is a 400 naming `to`. */
function toFilter(query: AuditFilterQueryDto): AuditFilter {
  const from = query.from === undefined ? undefined : parseInstant(query.from).toJSDate();
  const to = query.to === undefined ? undefined : parseInstant(query.to).toJSDate();
  if (from && to && from >= to) {
    throw DomainError.validation([{ field: 'to', message: 'to must be after from' }]);
  }
  return {
    action: query.action,
    resourceType: query.resourceType,
    resourceId: query.resourceId,
    actorId: query.actor,
    from,
    to,
  };
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly query: AuditQueryService,
    private readonly verifier: AuditVerifyService,
    private readonly exporter: AuditExportService,
  ) {}

  @Get()
  @Access('auditor', 'admin')
  @ApiOperation({ summary: 'Audit events, newest first, in keyset pages' })
  @ApiOkResponse({ type: AuditPageDto })
  page(@Query() query: AuditPageQueryDto): Promise<AuditPageDto> {
    return this.query.page({ ...toFilter(query), limit: query.limit, cursor: query.cursor });
  }

  @Get('verify')
  @Access('auditor', 'admin')
  @ApiOperation({ summary: 'Recompute the hash chain from the first event to the head' })
  @ApiOkResponse({ type: AuditVerificationDto })
  verify(): Promise<AuditVerificationDto> {
    return this.verifier.verify();
  }

  @Get('export')
  @Access('auditor', 'admin')
  @ApiOperation({ summary: 'Stream events oldest first with their hashes (NDJSON verifies offline)' })
  @ApiProduces(EXPORT_CONTENT_TYPES.ndjson, EXPORT_CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'One event per line (NDJSON) or per record (CSV, with a header)' })
  export(@Query() query: AuditExportQueryDto): StreamableFile {
    const format = query.format ?? 'ndjson';
    const filter = toFilter(query);
    return new StreamableFile(this.exporter.stream(format, filter), {
      type: EXPORT_CONTENT_TYPES[format],
      disposition: `attachment; filename="stepwise-audit.${format}"`,
    });
  }
}
