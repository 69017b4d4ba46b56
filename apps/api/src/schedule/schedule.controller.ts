import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { DEFAULT_PAGE_LIMIT } from '@stepwise/common/page-cursor';
import { Access, CalendarFeed } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { scheduleCalendar } from './schedule-calendar';
import { CalendarQueryDto, ScheduleDto, SchedulePageQueryDto } from './schedule.dto';
import { ScheduleService } from './schedule.service';
import { ApiRefusals } from '../http/api-refusals.decorator';

@ApiTags('schedule')
@ApiBearerAuth()
@Controller()
export class ScheduleController {
  constructor(private readonly schedule: ScheduleService) {}

  @Get('schedule')
  @Access('admin', 'planner', 'service-owner', 'auditor', 'connector')
  @ApiOperation({
    summary:
      'Transitions of every service (owners: their own) in a window, with their causes, in keyset pages',
    description: `At most limit per page (default ${DEFAULT_PAGE_LIMIT}); follow nextCursor to the end of the window.`,
  })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiRefusals(404)
  list(@Actor() { actor }: AuditContext, @Query() query: SchedulePageQueryDto): Promise<ScheduleDto> {
    return this.schedule.transitions(actor, query);
  }

  @Get('schedule.ics')
  @Access('admin', 'planner', 'service-owner', 'auditor', 'connector')
  @CalendarFeed()
  @Header('content-type', 'text/calendar; charset=utf-8')
  @ApiProduces('text/calendar')
  @ApiOperation({
    summary: 'The same transitions as an iCalendar feed (stable event UIDs)',
    description:
      'Takes the bearer token, or a calendar feed key in `feed` (calendar clients cannot send a ' +
      'token): GET /api/v1/schedule/feed gives the URL. The feed shows what its token may see.',
  })
  @ApiOkResponse({ description: 'text/calendar', schema: { type: 'string' } })
  @ApiRefusals(404)
  async calendar(@Actor() { actor }: AuditContext, @Query() query: CalendarQueryDto): Promise<string> {
    const { transitions, earlier } = await this.schedule.calendar(actor, query);
    return scheduleCalendar(transitions, earlier);
  }
}
