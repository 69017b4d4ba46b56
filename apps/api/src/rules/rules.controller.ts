import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { canSeeService, Principal } from '@stepwise/common/principal';
import type { RulesDocument } from '@stepwise/enforcement/rules-document.view';
import { RulesSnapshot } from '@stepwise/enforcement/rules-snapshot';
import { ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';
import { Access } from '../auth/access.decorator';
import { HotReadThrottleGuard } from '../hot-reads/hot-read-throttle.guard';
import { Actor } from '../auth/request-context';
import { rulesNotFound, RulesAckService } from './rules-ack.service';
import { AckRulesDto, RulesDocumentDto, RulesFailureDto } from './rules.dto';
import { RulesFailureService } from './rules-failure.service';
import { generationEtag, matchesIfNoneMatch } from './rules-etag';
import { slugParam } from '../http/slug-param.pipe';

@ApiTags('rules')
@ApiBearerAuth()
@Controller('services/:id/rules')
export class RulesController {
  constructor(
    private readonly snapshot: RulesSnapshot,
    private readonly repository: ServiceRulesRepository,
    private readonly acks: RulesAckService,
    private readonly failures: RulesFailureService,
  ) {}

  @Get()
  @Access('connector', 'service-owner', 'planner', 'auditor', 'admin')
  @SkipThrottle()
  @UseGuards(HotReadThrottleGuard)
  @ApiOperation({
    summary: 'The rules document the service must enforce now; ETag is the generation (304 on If-None-Match)',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'An ETag from an earlier answer, e.g. "7"',
  })
  @ApiOkResponse({ type: RulesDocumentDto })
  @ApiNotModifiedResponse({ description: 'The generation named in If-None-Match is still current' })
  @ApiConflictResponse({ description: 'The service exists but its rules have not been computed yet' })
  async get(
    @Actor() { actor }: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RulesDocument | undefined> {
    assertScoped(actor, id);
    const document = await this.snapshot.get(id);
    if (document === null) {
      throw await rulesNotFound(this.repository, id);
    }
    void reply
      .header('etag', generationEtag(document.generation))
      .header('cache-control', 'private, no-cache');
    if (matchesIfNoneMatch(ifNoneMatch, document.generation)) {
      void reply.status(304);
      return undefined;
    }
    return document;
  }

  @Post('ack')
  @HttpCode(204)
  @Access('connector')
  @ApiOperation({
    summary: 'Acknowledge the generation this enforcement point applied (its own service only)',
  })
  @ApiNoContentResponse({ description: 'Recorded (or already recorded)' })
  @ApiConflictResponse({ description: 'Older than the applied generation, or never issued' })
  async ack(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Body() body: AckRulesDto,
  ): Promise<void> {
    assertScoped(actor.actor, id);
    await this.acks.ack(actor, id, body.generation);
  }

  @Post('failures')
  @HttpCode(204)
  @Access('connector')
  @ApiOperation({
    summary:
      'Report that this enforcement point could not apply a generation (its own service only); ' +
      'the rollout view shows the service failing, with the reason, until a generation is acknowledged',
  })
  @ApiNoContentResponse({ description: 'Recorded' })
  @ApiConflictResponse({ description: 'Never issued, or not newer than the applied generation' })
  async failure(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Body() body: RulesFailureDto,
  ): Promise<void> {
    assertScoped(actor.actor, id);
    await this.failures.report(actor, id, body.generation, body.error);
  }
}

function assertScoped(principal: Principal, serviceId: string): void {
  if (!canSeeService(principal, serviceId)) {
    throw new DomainError(ErrorCode.Forbidden, `this token is not scoped to service '${serviceId}'`);
  }
}
