import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { TimelineDto, TimelineQueryDto } from './timeline.dto';
import { TimelineService } from './timeline.service';

@ApiTags('timeline')
@ApiBearerAuth()
@Controller()
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get('timeline')
  @Access('admin', 'planner', 'service-owner', 'auditor')
  @ApiOperation({
    summary: "Every service's level over time (owners: their own), for the console's timeline",
    description:
      'Per service and (policy, population), bands of constant level from a month before the plan ' +
      'begins to a year ahead, and the tentative, suspended and cancelled phases that cover it.',
  })
  @ApiOkResponse({ type: TimelineDto, description: 'gzip-encoded when the client accepts it' })
  async get(
    @Actor() { actor }: AuditContext,
    @Query() query: TimelineQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    const { json, gzip } = await this.timeline.timeline(actor, query);
    void reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'accept-encoding');
    if (gzip !== null && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      void reply.header('content-encoding', 'gzip');
      return gzip;
    }
    return json;
  }
}
