import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { DEFAULT_PAGE_LIMIT } from '@stepwise/common/page-cursor';
import { ServiceDirectory } from '@stepwise/planning/service-directory.service';
import { ServiceQuery } from '@stepwise/planning/service-query.service';
import { ServiceUpdater } from '@stepwise/planning/service-update.service';
import { Access } from '../auth/access.decorator';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { Actor } from '../auth/request-context';
import { expectedVersion, serviceEtag } from './if-match';
import {
  CapabilityChangeDto,
  CreateServiceDto,
  ServiceListQueryDto,
  ServicePageDto,
  ServiceResponseDto,
  UpdateServiceDto,
} from './service.dto';
import { slugParam } from '../http/slug-param.pipe';

@ApiTags('services')
@ApiBearerAuth()
@Controller('services')
export class ServiceController {
  constructor(
    private readonly directory: ServiceDirectory,
    private readonly updater: ServiceUpdater,
    private readonly query: ServiceQuery,
  ) {}

  @Post()
  @Access('planner', 'admin')
  @ApiOperation({ summary: 'Register a service with its MFA capability; a webhook secret is returned once' })
  @ApiBody({ type: CreateServiceDto })
  @ApiCreatedResponse({ type: ServiceResponseDto })
  async create(
    @Actor() actor: AuditContext,
    // Validated by the domain's services-file reader (not the pipe), so the API and the files agree.
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceResponseDto> {
    const service = await this.directory.create(actor, body);
    void reply.header('etag', serviceEtag(service.version));
    return service;
  }

  @Get()
  @Access('planner', 'admin', 'auditor', 'service-owner')
  @ApiOperation({
    summary: 'Services by id in keyset pages (a service owner sees only their own)',
    description: `At most limit per page (default ${DEFAULT_PAGE_LIMIT}); follow nextCursor to the end.`,
  })
  @ApiOkResponse({ type: ServicePageDto })
  list(@Actor() actor: AuditContext, @Query() query: ServiceListQueryDto): Promise<ServicePageDto> {
    const { q: search, tag, limit, cursor } = query;
    return this.query.list(actor.actor, { search, tag, limit, cursor });
  }

  @Get(':id')
  @Access('planner', 'admin', 'auditor', 'service-owner')
  @ApiOperation({ summary: 'A service with its current capability, history and version (ETag)' })
  @ApiOkResponse({ type: ServiceResponseDto })
  async get(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceResponseDto> {
    const service = await this.query.get(actor.actor, id);
    void reply.header('etag', serviceEtag(service.version));
    return service;
  }

  @Patch(':id')
  @Access('planner', 'admin')
  @ApiOperation({
    summary: 'Change a service; If-Match with its ETag is required (428 without, 412 if stale)',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag of the version being changed' })
  @ApiOkResponse({ type: ServiceResponseDto })
  @ApiRefusals(412, 428)
  async update(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateServiceDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceResponseDto> {
    const service = await this.updater.patch(actor, id, expectedVersion(ifMatch), body);
    void reply.header('etag', serviceEtag(service.version));
    return service;
  }

  @Post(':id/capability-changes')
  @Access('planner', 'admin')
  @ApiOperation({ summary: 'Record a dated MFA-readiness change (appended; history is never overwritten)' })
  @ApiCreatedResponse({ type: ServiceResponseDto })
  async changeCapability(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Body() body: CapabilityChangeDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceResponseDto> {
    const service = await this.directory.changeCapability(actor, id, body);
    void reply.header('etag', serviceEtag(service.version));
    return service;
  }
}
