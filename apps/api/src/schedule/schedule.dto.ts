import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { FEED_KEY_PATTERN } from '@stepwise/access/calendar-feed-keys';
import { PageQueryDto } from '../http/page-query.dto';
import { RequirementSourceDto } from '../requirements/requirements.dto';

export class ScheduleQueryDto {
  @ApiPropertyOptional({
    description: 'Window start (inclusive): ISO instant with offset, or a date. Default now.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({
    description: 'Window end (exclusive). Default from + 365 days; at most 5 years after from.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ description: 'Only this service' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'service must be a service id' })
  service?: string;
}

export class CalendarQueryDto extends ScheduleQueryDto {
  @ApiPropertyOptional({
    description:
      'Calendar feed key, in place of the bearer token (for calendar clients): ' +
      'GET /api/v1/schedule/feed gives the URL with yours',
  })
  @IsOptional()
  @Matches(FEED_KEY_PATTERN, { message: 'feed must be a calendar feed key from GET /api/v1/schedule/feed' })
  feed?: string;
}

export class CalendarFeedDto {
  @ApiProperty({
    description:
      "The calendar feed's path, to append to the API's address: schedule.ics with your feed key, " +
      'which reads your calendar (and nothing else) without the bearer token; revoking the token closes it',
    example: '/api/v1/schedule.ics?feed=0b6c…',
  })
  url!: string;

  @ApiProperty({ description: 'The feed key alone' })
  feed!: string;
}

export class ScheduledTransitionDto {
  @ApiProperty({ description: 'Service id' })
  service!: string;

  @ApiProperty({ description: 'Policy id' })
  policy!: string;

  @ApiProperty({ description: 'Population' })
  population!: string;

  @ApiProperty({ description: 'When the level changes (UTC)' })
  at!: string;

  @ApiProperty({ description: 'Level before', enum: ['enforced', 'warn', 'report-only', 'expected', 'none'] })
  from!: string;

  @ApiProperty({ description: 'Level after', enum: ['enforced', 'warn', 'report-only', 'expected', 'none'] })
  to!: string;

  @ApiProperty({ description: 'Revision in force after the change', nullable: true, type: Number })
  revision!: number | null;

  @ApiProperty({ description: 'The phase or rule that causes it', type: RequirementSourceDto })
  source!: RequirementSourceDto;
}

export class SchedulePageQueryDto extends IntersectionType(ScheduleQueryDto, PageQueryDto) {}

export class ScheduleDto {
  @ApiProperty({ description: 'Window start (UTC)' })
  from!: string;

  @ApiProperty({ description: 'Window end (UTC)' })
  to!: string;

  @ApiProperty({
    description:
      'Level changes of the visible services in the window, by instant, then service, policy and ' +
      'population; at most limit',
    type: [ScheduledTransitionDto],
  })
  items!: ScheduledTransitionDto[];

  @ApiProperty({
    description:
      'Pass as cursor, with the same service, for the next page (it keeps this window); null on the last page',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}
