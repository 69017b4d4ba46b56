import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { DEFAULT_PAGE_LIMIT } from '@stepwise/common/page-cursor';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { RedeliveryService } from './redelivery.service';
import { RedeliverDto, RedeliveryResponseDto, RolloutQueryDto, RolloutResponseDto } from './rollout.dto';
import { RolloutService } from './rollout.service';
import { slugParam } from '../http/slug-param.pipe';

@ApiTags('rollout')
@ApiBearerAuth()
@Controller()
export class RolloutController {
  constructor(
    private readonly rollouts: RolloutService,
    private readonly redeliveries: RedeliveryService,
  ) {}

  @Get('rollout')
  @Access('planner', 'auditor', 'admin')
  @ApiOperation({
    summary: 'Per service: desired vs applied generation, state, attempts, last error; counts by state',
    description: `Services by id, at most limit per page (default ${DEFAULT_PAGE_LIMIT}); follow nextCursor to the end.`,
  })
  @ApiOkResponse({ type: RolloutResponseDto })
  rollout(@Query() query: RolloutQueryDto): Promise<RolloutResponseDto> {
    return this.rollouts.rollout({ state: query.state, limit: query.limit, cursor: query.cursor });
  }

  @Post('services/:id/redeliver')
  @HttpCode(202)
  @Access('planner')
  @ApiOperation({
    summary: 'Queue a fresh webhook delivery of the current generation, re-enabling a disabled connector',
  })
  @ApiAcceptedResponse({ type: RedeliveryResponseDto })
  @ApiServiceUnavailableResponse({ description: 'Redis is down: nothing was changed' })
  redeliver(
    @Actor() actor: AuditContext,
    @Param('id', slugParam('id')) id: string,
    @Body() body: RedeliverDto,
  ): Promise<RedeliveryResponseDto> {
    return this.redeliveries.redeliver(actor, id, body.reason ?? null);
  }
}
