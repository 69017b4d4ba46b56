import { Body, Controller, Get, HttpCode, Param, Post, Query, type PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { DomainError } from '@stepwise/common/domain-error';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { slugParam } from '../http/slug-param.pipe';
import {
  CreatePostponementDto,
  PostponementDecisionDto,
  PostponementListQueryDto,
  PostponementPageDto,
  PostponementResponseDto,
} from './postponement.dto';
import { PostponementQuery } from './postponement-query.service';
import { PostponementService } from './postponement.service';

/** Request ids are bigserial values: digits only, so nothing else reaches a query. */
const requestIdParam: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!/^[1-9][0-9]{0,14}$/.test(value)) {
      throw DomainError.validation([{ field: 'id', message: 'must be a postponement request id' }]);
    }
    return value;
  },
};

@ApiTags('postponements')
@ApiBearerAuth()
@Controller()
export class PostponementController {
  constructor(
    private readonly postponements: PostponementService,
    private readonly query: PostponementQuery,
  ) {}

  @Post('services/:id/postponements')
  @Access('service-owner', 'planner')
  @ApiOperation({
    summary:
      "Ask to postpone a phase for this service (owners: their own), up to the phase's postponeUntilMax",
    description:
      '400 beyond the cap or on a phase without one; 409 once the phase took effect for the service, or while another request for it is open; 403 for a service the owner does not own.',
  })
  @ApiCreatedResponse({ type: PostponementResponseDto })
  ask(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) serviceId: string,
    @Body() body: CreatePostponementDto,
  ): Promise<PostponementResponseDto> {
    return this.postponements.ask(actor, serviceId, body);
  }

  @Get('postponements')
  @Access('planner', 'auditor', 'admin', 'service-owner')
  @ApiOperation({ summary: 'Postponement requests, newest first, in keyset pages (owners: their services)' })
  @ApiOkResponse({ type: PostponementPageDto })
  list(@Actor() actor: AuditContext, @Query() query: PostponementListQueryDto): Promise<PostponementPageDto> {
    const { service, status, limit, cursor } = query;
    return this.query.list(actor.actor, { service, status, limit, cursor });
  }

  @Get('postponements/:id')
  @Access('planner', 'auditor', 'admin', 'service-owner')
  @ApiOperation({ summary: 'One postponement request and its decision' })
  @ApiOkResponse({ type: PostponementResponseDto })
  get(
    @Actor() actor: AuditContext,
    @Param('id', requestIdParam) id: string,
  ): Promise<PostponementResponseDto> {
    return this.query.get(actor.actor, id);
  }

  @Post('postponements/:id/approve')
  @HttpCode(200)
  @Access('planner')
  @ApiOperation({
    summary: 'Approve a request: from now until its date the phase does not apply to the service',
    description: '403 four-eyes when the caller asked; 409 when decided already or no longer possible.',
  })
  @ApiOkResponse({ type: PostponementResponseDto })
  approve(
    @Actor() actor: AuditContext,
    @Param('id', requestIdParam) id: string,
    @Body() body: PostponementDecisionDto,
  ): Promise<PostponementResponseDto> {
    return this.postponements.decide(actor, id, 'approve', body.reason);
  }

  @Post('postponements/:id/withdraw')
  @HttpCode(200)
  @Access('service-owner', 'planner')
  @ApiOperation({
    summary: 'Withdraw an open request, with the reason (only who asked; 403 otherwise)',
  })
  @ApiOkResponse({ type: PostponementResponseDto })
  withdraw(
    @Actor() actor: AuditContext,
    @Param('id', requestIdParam) id: string,
    @Body() body: PostponementDecisionDto,
  ): Promise<PostponementResponseDto> {
    return this.postponements.decide(actor, id, 'withdraw', body.reason);
  }

  @Post('postponements/:id/reject')
  @HttpCode(200)
  @Access('planner')
  @ApiOperation({ summary: 'Reject a request, with the reason' })
  @ApiOkResponse({ type: PostponementResponseDto })
  reject(
    @Actor() actor: AuditContext,
    @Param('id', requestIdParam) id: string,
    @Body() body: PostponementDecisionDto,
  ): Promise<PostponementResponseDto> {
    return this.postponements.decide(actor, id, 'reject', body.reason);
  }
}
