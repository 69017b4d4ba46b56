import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { DEFAULT_PAGE_LIMIT } from '@stepwise/common/page-cursor';
import { RevisionDraftService } from '@stepwise/planning/revision-draft.service';
import { RevisionQuery } from '@stepwise/planning/revision-query.service';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import {
  CreateRevisionDto,
  DiffQueryDto,
  RevisionDiffResponseDto,
  RevisionPageDto,
  RevisionResponseDto,
} from './revision.dto';
import { PageQueryDto } from '../http/page-query.dto';
import { revisionNumberPipe } from './revision-number.pipe';
import { slugParam } from '../http/slug-param.pipe';

@ApiTags('revisions')
@ApiBearerAuth()
@Controller('policies/:id/revisions')
export class RevisionController {
  constructor(
    private readonly drafts: RevisionDraftService,
    private readonly query: RevisionQuery,
  ) {}

  @Post()
  @Access('planner')
  @ApiOperation({
    summary: 'Draft a revision: the whole plan, validated in full; based on the newest published one',
  })
  @ApiBody({ type: CreateRevisionDto })
  @ApiCreatedResponse({ type: RevisionResponseDto })
  draft(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) policyId: string,
    // The domain validator reads the whole body: nested unknown fields are refused, not stripped.
    @Body() body: Record<string, unknown>,
  ): Promise<RevisionResponseDto> {
    return this.drafts.draft(actor, policyId, body);
  }

  @Get()
  @Access('planner', 'admin', 'auditor', 'service-owner', 'connector')
  @ApiOperation({
    summary: "A policy's revisions, newest first, in keyset pages",
    description: `At most limit per page (default ${DEFAULT_PAGE_LIMIT}); follow nextCursor to revision 1.`,
  })
  @ApiOkResponse({ type: RevisionPageDto })
  list(
    @Param('id', slugParam('id')) policyId: string,
    @Query() query: PageQueryDto,
  ): Promise<RevisionPageDto> {
    return this.query.list(policyId, { limit: query.limit, cursor: query.cursor });
  }

  @Get(':n')
  @Access('planner', 'admin', 'auditor', 'service-owner', 'connector')
  @ApiOperation({ summary: 'One revision' })
  @ApiOkResponse({ type: RevisionResponseDto })
  get(
    @Param('id', slugParam('id')) policyId: string,
    @Param('n', revisionNumberPipe()) number: number,
  ): Promise<RevisionResponseDto> {
    return this.query.get(policyId, number);
  }

  @Get(':n/diff')
  @Access('planner', 'admin', 'auditor', 'service-owner', 'connector')
  @ApiOperation({ summary: 'Phase-by-phase differences of revision n against another (default its base)' })
  @ApiOkResponse({ type: RevisionDiffResponseDto })
  diff(
    @Param('id', slugParam('id')) policyId: string,
    @Param('n', revisionNumberPipe()) number: number,
    @Query() query: DiffQueryDto,
  ): Promise<RevisionDiffResponseDto> {
    return this.query.diff(policyId, number, query.against);
  }
}
