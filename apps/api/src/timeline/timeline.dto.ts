import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { LEVELS } from '@stepwise/domain/plan.types';
import { RequirementSourceDto } from '../requirements/requirements.dto';

export class TimelineQueryDto {
  @ApiPropertyOptional({
    description:
      'Draw the plan as it was known then (bitemporal asOf): an ISO instant with offset, or a date in ' +
      'the deployment zone. Absent: the live timeline (at each instant, what was in force then).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;
}

export class TimelineBandDto {
  @ApiProperty({ description: 'Start of the band (inclusive), ISO UTC' })
  from!: string;

  @ApiProperty({ description: 'End of the band (exclusive), ISO UTC' })
  to!: string;

  @ApiProperty({ enum: LEVELS })
  level!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'The revision that gives this level' })
  revision!: number | null;

  @ApiProperty({ type: RequirementSourceDto })
  source!: RequirementSourceDto;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the source began to give this level (may be before `from`)',
  })
  since!: string | null;
}

export class TimelineLaneDto {
  @ApiProperty()
  policy!: string;

  @ApiProperty()
  population!: string;

  @ApiProperty({ type: [TimelineBandDto] })
  bands!: TimelineBandDto[];
}

export class TimelineMarkDto {
  @ApiProperty()
  policy!: string;

  @ApiProperty({ description: 'The revision of the plan as known that holds this phase' })
  revision!: number;

  @ApiProperty()
  phase!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: ['active', 'suspended', 'cancelled'] })
  state!: string;

  @ApiProperty({ type: String, nullable: true })
  stateReason!: string | null;

  @ApiProperty({ enum: LEVELS, description: 'The level the phase would give' })
  level!: string;

  @ApiProperty({ type: String, nullable: true, description: 'A confirmed instant (ISO UTC)' })
  at!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'A tentative target as the plan says it (YYYY-MM or a date)',
  })
  tentative!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Where to draw it (ISO UTC)' })
  drawAt!: string | null;
}

export class TimelineServiceDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  owner!: string | null;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({ type: [TimelineLaneDto], description: 'One per (policy, population)' })
  lanes!: TimelineLaneDto[];

  @ApiProperty({
    type: [TimelineMarkDto],
    description: 'Tentative, suspended and cancelled phases that cover the service',
  })
  marks!: TimelineMarkDto[];
}

export class TimelineRevisionDto {
  @ApiProperty()
  number!: number;

  @ApiProperty({ description: 'When it took over (ISO UTC)' })
  publishAt!: string;
}

export class TimelinePolicyDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ example: 'Asia/Tokyo' })
  timezone!: string;

  @ApiProperty({ type: [String] })
  populations!: string[];

  @ApiProperty({ type: [TimelineRevisionDto], description: 'Published revisions known at asOf (or now)' })
  revisions!: TimelineRevisionDto[];
}

export class TimelineDto {
  @ApiProperty({ description: 'Start of the window: a month before the first instant of any plan' })
  from!: string;

  @ApiProperty({ description: 'End of the window: a year after now' })
  to!: string;

  @ApiProperty()
  now!: string;

  @ApiProperty({ type: String, nullable: true })
  asOf!: string | null;

  @ApiProperty({ type: [TimelinePolicyDto] })
  policies!: TimelinePolicyDto[];

  @ApiProperty({ type: [TimelineServiceDto], description: 'Services the caller may see, by id' })
  services!: TimelineServiceDto[];
}
