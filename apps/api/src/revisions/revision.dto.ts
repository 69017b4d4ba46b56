import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { REVISION_STATUSES, type RevisionStatus } from '@stepwise/persistence/revision.entity';
import { RevisionPlanDto } from './revision-plan.dto';

/** POST /policies/:id/revisions (validated by the domain; see revision-plan.dto.ts). */
export class CreateRevisionDto extends RevisionPlanDto {
  @ApiProperty({ description: 'One line: what changes' })
  summary!: string;

  @ApiProperty({ description: 'Why (kept with the revision and its audit event)' })
  reason!: string;

  @ApiPropertyOptional({ description: 'Where the decision was announced (http or https URL)' })
  sourceUrl?: string;

  @ApiPropertyOptional({
    description:
      "When it takes over once published (default: at publication). Not in the past; a date is read in the policy's timezone",
  })
  publishAt?: string;
}

/** The body of submit, approve, reject, withdraw (and publish): not a schedule's transition. */
export class LifecycleActionDto {
  @ApiPropertyOptional({ description: 'Why (audited with the transition); required to reject' })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  reason?: string;
}

export class PublishDto extends LifecycleActionDto {
  @ApiPropertyOptional({
    description:
      "Overrides the draft's publishAt: a future instant schedules the takeover; never in the past",
  })
  @IsOptional()
  @IsString()
  publishAt?: string;
}

export class DiffQueryDto {
  @ApiPropertyOptional({ description: 'Revision to compare against (default: the base of :n)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  against?: number;
}

class PersonDto {
  @ApiProperty({
    description: 'Token id (null when a plan file named the person)',
    nullable: true,
    type: String,
  })
  id!: string | null;

  @ApiProperty({ description: 'Name' })
  name!: string;
}

class ApproverDto extends PersonDto {
  @ApiProperty({
    description:
      'True when a plan file named the approver (id null): recorded from the file, not a four-eyes approval made in Stepwise',
  })
  recordedFromFile!: boolean;
}

@ApiExtraModels(ApproverDto)
export class RevisionResponseDto extends RevisionPlanDto {
  @ApiProperty({ description: 'Policy id' })
  policy!: string;

  @ApiProperty({ description: 'Revision number, 1, 2, 3 … per policy' })
  number!: number;

  @ApiProperty({ description: 'Lifecycle state', enum: REVISION_STATUSES })
  status!: RevisionStatus;

  @ApiProperty({ description: 'What changes' })
  summary!: string;

  @ApiProperty({ description: 'Why' })
  reason!: string;

  @ApiProperty({ description: 'Announcement', nullable: true, type: String })
  sourceUrl!: string | null;

  @ApiProperty({ description: 'When it takes (or took) over (UTC)', nullable: true, type: String })
  publishAt!: string | null;

  @ApiProperty({ description: 'The newest published revision when drafted', nullable: true, type: Number })
  baseRevision!: number | null;

  @ApiProperty({ description: 'Who drafted it', type: PersonDto })
  author!: PersonDto;

  // OpenAPI 3.0 lets `nullable` widen only a `type` in the same schema, not an allOf of a $ref:
  // null is a second choice of its own, or the schema would refuse the null it documents.
  @ApiProperty({
    description: 'Who approved it; null: nobody yet, or a plan file that named nobody',
    oneOf: [{ $ref: getSchemaPath(ApproverDto) }, { type: 'object', nullable: true, enum: [null] }],
  })
  approvedBy!: ApproverDto | null;

  @ApiProperty({ description: 'Reason given with the last transition', nullable: true, type: String })
  statusReason!: string | null;

  @ApiProperty({ description: 'Backdated through an admin import' })
  imported!: boolean;

  @ApiProperty({
    description:
      'A decision taken earlier, recorded late: published through four-eyes with a past publishAt (STEPWISE_LATE_RECORDING=on)',
  })
  recordedLate!: boolean;

  @ApiProperty({ description: 'When the system stored it (UTC)' })
  recordedAt!: string;

  @ApiProperty({ description: 'When it was published (UTC)', nullable: true, type: String })
  publishedAt!: string | null;

  @ApiProperty({ description: 'Last change (UTC)' })
  updatedAt!: string;
}

export class RevisionPageDto {
  @ApiProperty({ description: 'Revisions, newest (highest number) first', type: [RevisionResponseDto] })
  items!: RevisionResponseDto[];

  @ApiProperty({
    description: 'Pass as cursor for the next, older page; null on the last page',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}

/** A plan field's value: text, a number, a flag, a list or an object (dates are text). */
const ANY_PLAN_VALUE = {
  oneOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'array', items: {} },
    { type: 'object', nullable: true },
  ],
};

class FieldChangeDto {
  @ApiProperty({ description: 'Dotted path of the changed field, e.g. effective.at' })
  field!: string;

  @ApiProperty({ description: 'Value before (null: absent)', ...ANY_PLAN_VALUE })
  old!: unknown;

  @ApiProperty({ description: 'Value after (null: absent)', ...ANY_PLAN_VALUE })
  new!: unknown;
}

class PartDiffDto {
  @ApiProperty({
    description: 'added, removed, changed or unchanged',
    enum: ['added', 'removed', 'changed', 'unchanged'],
  })
  status!: string;

  @ApiPropertyOptional({ description: 'Changed fields', type: [FieldChangeDto] })
  changes?: FieldChangeDto[];
}

class PhaseDiffDto extends PartDiffDto {
  @ApiProperty({ description: 'Phase key' })
  key!: string;
}

class StandingRuleDiffDto extends PartDiffDto {
  @ApiProperty({ description: 'Rule kind' })
  on!: string;
}

export class RevisionDiffResponseDto {
  @ApiProperty({ description: 'Policy id' })
  policy!: string;

  @ApiProperty({ description: 'The revision shown' })
  revision!: number;

  @ApiProperty({ description: 'Compared against (null: an empty plan)', nullable: true, type: Number })
  against!: number | null;

  @ApiProperty({ description: 'The statement', type: PartDiffDto })
  statement!: PartDiffDto;

  @ApiProperty({ description: 'Per phase key', type: [PhaseDiffDto] })
  phases!: PhaseDiffDto[];

  @ApiProperty({ description: 'Per standing rule kind', type: [StandingRuleDiffDto] })
  standingRules!: StandingRuleDiffDto[];
}
