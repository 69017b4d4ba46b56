import { BadRequestException, Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CalendarFeedKeys } from '@stepwise/access/calendar-feed-keys';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { API_PREFIX } from '../http/api-prefix';
import { CalendarFeedDto } from './schedule.dto';

@ApiTags('schedule')
@ApiBearerAuth()
@Controller()
export class CalendarFeedController {
  constructor(private readonly feedKeys: CalendarFeedKeys) {}

  @Get('schedule/feed')
  @Access('admin', 'planner', 'service-owner', 'auditor', 'connector')
  @ApiOperation({
    summary: 'The URL of your calendar feed, to subscribe to in a calendar client',
    description:
      'schedule.ics with a feed key in place of the bearer token. The key is derived from your ' +
      'token (the same key every time), shows what the token may see, and stops working when the ' +
      'token is revoked. The bootstrap admin token has none (400): create a token.',
  })
  @ApiOkResponse({ type: CalendarFeedDto })
  feed(@Actor() { actor }: AuditContext): CalendarFeedDto {
    const feed = this.feedKeys.keyFor(actor.id);
    if (feed === null) {
      throw new BadRequestException(
        'the bootstrap admin token has no calendar feed: create a token for the feed',
      );
    }
    return { url: `/${API_PREFIX}/schedule.ics?feed=${feed}`, feed };
  }
}
