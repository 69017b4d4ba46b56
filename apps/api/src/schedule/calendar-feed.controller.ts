import { BadRequestException, Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CalendarFeedKeys } from '@stepwise/access/calendar-feed-keys';
import { PERSON_PREFIX } from '@stepwise/access/console-sessions';
import { TokenService } from '@stepwise/access/token.service';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { Access } from '../auth/access.decorator';
import { Actor } from '../auth/request-context';
import { API_PREFIX } from '../http/api-prefix';
import { CalendarFeedDto } from './schedule.dto';

@ApiTags('schedule')
@ApiBearerAuth()
@Controller()
export class CalendarFeedController {
  constructor(
    private readonly feedKeys: CalendarFeedKeys,
    private readonly tokens: TokenService,
  ) {}

  @Get('schedule/feed')
  @Access('admin', 'planner', 'service-owner', 'auditor', 'connector')
  @ApiOperation({
    summary: 'The URL of your calendar feed, to subscribe to in a calendar client',
    description:
      'schedule.ics with a feed key in place of the bearer token. The key is derived from your ' +
      'token (the same key every time), shows what the token may see, and stops working when the ' +
      'token is revoked. The bootstrap admin token has none (400): create a token. A person signed ' +
      'in to the console gets a feed token of their own, made on first use (audited as token.created).',
  })
  @ApiOkResponse({ type: CalendarFeedDto })
  async feed(@Actor() context: AuditContext): Promise<CalendarFeedDto> {
    const { actor } = context;
    const tokenId = actor.id.startsWith(PERSON_PREFIX)
      ? await this.tokens.calendarTokenFor(context)
      : actor.id;
    const feed = this.feedKeys.keyFor(tokenId);
    if (feed === null) {
      throw new BadRequestException(
        'the bootstrap admin token has no calendar feed: create a token for the feed',
      );
    }
    return { url: `/${API_PREFIX}/schedule.ics?feed=${feed}`, feed };
  }
}
