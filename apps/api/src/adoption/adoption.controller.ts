import { Body, Controller, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { AdoptionImportService } from '@stepwise/planning/adoption-import.service';
import { AdoptionQuery } from '@stepwise/planning/adoption-query.service';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { readInstantParams } from '../requirements/query-instants';
import {
  AdoptionHistoryPageDto,
  AdoptionHistoryQueryDto,
  AdoptionImportQueryDto,
  AdoptionImportResultDto,
  AdoptionOverviewDto,
  AdoptionQueryDto,
} from './adoption.dto';

@ApiTags('adoption')
@ApiBearerAuth()
@Controller('adoption')
export class AdoptionController {
  private readonly zone: string;

  constructor(
    private readonly importer: AdoptionImportService,
    private readonly query: AdoptionQuery,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.zone = config.get('STEPWISE_TIMEZONE', { infer: true });
  }

  @Post('snapshots')
  @HttpCode(200)
  @Access('admin', 'planner')
  @ApiOperation({
    summary:
      'Import an adoption file (CSV as text/csv, or JSON); reduced to counts, the same file twice adds nothing',
    description:
      'Unknown or missing columns: 400 naming them, nothing stored. Rows that cannot be read are counted and named by line.',
  })
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({ schema: { type: 'string', description: 'The file' } })
  @ApiOkResponse({ type: AdoptionImportResultDto })
  import(
    @Actor() actor: AuditContext,
    @Query() query: AdoptionImportQueryDto,
    @Headers('content-type') contentType: string | undefined,
    // A CSV body arrives as text (see adoption-http.module.ts); JSON already parsed.
    @Body() body: unknown,
  ): Promise<AdoptionImportResultDto> {
    const format = query.format ?? 'generic';
    const { asOf } = readInstantParams({ asOf: query.asOf }, { asOf: this.clock.nowMs() }, this.zone);
    const csv = typeof body === 'string' && !(contentType ?? '').includes('json');
    return this.importer.import(
      actor,
      format,
      csv ? { kind: 'csv', content: body } : { kind: 'json', document: body },
      { asOf },
    );
  }

  @Get()
  @Access('admin', 'planner', 'auditor', 'service-owner')
  @ApiOperation({
    summary: 'The newest snapshot per population and the totals (service owners: the totals only)',
  })
  @ApiOkResponse({ type: AdoptionOverviewDto })
  overview(@Actor() actor: AuditContext, @Query() query: AdoptionQueryDto): Promise<AdoptionOverviewDto> {
    const { asOf } = readInstantParams({ asOf: query.asOf }, { asOf: this.clock.nowMs() }, this.zone);
    return this.query.overview(actor.actor, asOf);
  }

  @Get('snapshots')
  @Access('admin', 'planner', 'auditor')
  @ApiOperation({ summary: 'Every snapshot, newest first, in keyset pages' })
  @ApiOkResponse({ type: AdoptionHistoryPageDto })
  history(@Query() query: AdoptionHistoryQueryDto): Promise<AdoptionHistoryPageDto> {
    return this.query.history(query);
  }
}
