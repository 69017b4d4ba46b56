import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SLUG } from '@stepwise/domain/input-reader';
import { PageQueryDto } from '../http/page-query.dto';

const STATUSES = ['requested', 'approved', 'rejected', 'withdrawn'] as const;

/** POST /services/:id/postponements */
export class CreatePostponementDto {
  @ApiProperty({ description: 'The policy whose phase is to be postponed', example: 'mfa-mandatory' })
  @IsString()
  @Matches(SLUG, { message: 'policy must be a policy id (a slug)' })
  policy!: string;

  @ApiProperty({ description: 'The phase key', example: 'step-4' })
  @IsString()
  @Length(1, 63)
  phase!: string;

  @ApiProperty({
    description:
      "The later date asked for: a date YYYY-MM-DD (midnight in the policy's timezone) or an ISO instant with an offset; after the phase's date and within its postponeUntilMax",
    example: '2027-06-01',
  })
  @IsString()
  @Length(1, 40)
  until!: string;

  @ApiProperty({ description: 'Why the service needs more time (audited)' })
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, { message: 'reason must not be empty' })
  reason!: string;
}

/** POST /postponements/:id/approve, /reject and /withdraw */
export class PostponementDecisionDto {
  @ApiProperty({ description: 'Why (audited with the decision)' })
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, { message: 'reason must not be empty' })
  reason!: string;
}

export class PostponementListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only requests in this state', enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ description: 'Only requests for this service' })
  @IsOptional()
  @IsString()
  @Matches(SLUG, { message: 'service must be a service id (a slug)' })
  service?: string;
}

export class PostponementResponseDto {
  @ApiProperty({ description: 'The request id (requirements name it as source.postponement)' })
  id!: string;

  @ApiProperty({ description: 'Service id' })
  service!: string;

  @ApiProperty({ description: 'Policy id' })
  policy!: string;

  @ApiProperty({ description: 'Phase key' })
  phase!: string;

  @ApiProperty({ description: 'The postponed date (UTC): from then on the phase applies to the service' })
  until!: string;

  @ApiProperty({ description: 'The date as the owner wrote it' })
  untilAsWritten!: string;

  @ApiProperty({ description: 'Why the owner asked' })
  reason!: string;

  @ApiProperty({ enum: STATUSES })
  status!: string;

  @ApiProperty({ description: 'Who asked (name)' })
  requestedBy!: string;

  @ApiProperty({ description: 'When asked (UTC)' })
  requestedAt!: string;

  @ApiProperty({ description: 'Who approved or rejected (name)', nullable: true, type: String })
  decidedBy!: string | null;

  @ApiProperty({ description: 'Why it was approved or rejected', nullable: true, type: String })
  decisionReason!: string | null;

  @ApiProperty({
    description: 'When decided (UTC); for an approval, when it was recorded and began to count',
    nullable: true,
    type: String,
  })
  decidedAt!: string | null;
}

export class PostponementPageDto {
  @ApiProperty({ type: [PostponementResponseDto], description: 'Newest first' })
  items!: PostponementResponseDto[];

  @ApiProperty({ description: 'Cursor of the next page; null on the last', nullable: true, type: String })
  nextCursor!: string | null;
}
