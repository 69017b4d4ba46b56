import { Controller, Get, Query } from '@nestjs/common';
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
  @ApiOkResponse({ type: TimelineDto })
  get(@Actor() { actor }: AuditContext, @Query() query: TimelineQueryDto): Promise<TimelineDto> {
    return this.timeline.timeline(actor, query);
  }
}
