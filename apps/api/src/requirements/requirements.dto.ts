import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class RequirementsQueryDto {
  @ApiPropertyOptional({
    description:
      'The instant asked about: ISO 8601 with an offset, or a date (read in STEPWISE_TIMEZONE). Default now.',
    example: '2024-07-01',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  at?: string;

  @ApiPropertyOptional({
    description:
      'What was known then: only revisions published and facts recorded by asOf count. Default now.',
    example: '2024-03-15',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;

  @ApiPropertyOptional({ description: 'Narrow the answer to one population', example: 'students' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  population?: string;
}

export class RequirementSourceDto {
  @ApiProperty({
    description: 'What gives the level',
    enum: ['phase', 'rule', 'statement', 'none', 'postponement'],
  })
  kind!: string;

  @ApiPropertyOptional({ description: 'The phase key, when kind is phase or postponement' })
  phase?: string;

  @ApiPropertyOptional({
    description: 'The standing rule, when kind is rule',
    enum: ['mfa-ready', 'service-introduced'],
  })
  rule?: string;

  @ApiPropertyOptional({
    description: 'The approved postponement request holding the phase back, when kind is postponement',
  })
  postponement?: string;

  @ApiPropertyOptional({
    description: 'When the postponement lapses and the phase applies (UTC), when kind is postponement',
  })
  until?: string;
}

export class GateCheckDto {
  @ApiProperty() population!: string;
  @ApiProperty({ enum: ['registered', 'covered'] }) metric!: string;
  @ApiProperty({ description: 'Threshold, 0..1' }) atLeast!: number;
  @ApiProperty({ description: 'The share read; null when none could be', nullable: true, type: Number })
  value!: number | null;
  @ApiProperty({ enum: ['pass', 'fail', 'inconclusive'] }) outcome!: string;
  @ApiProperty({
    enum: [
      'met',
      'below-threshold',
      'not-held-long-enough',
      'no-snapshot',
      'stale-snapshot',
      'eligible-jump',
      'no-eligible',
    ],
  })
  reason!: string;
  @ApiProperty({ type: [String], description: 'Adoption snapshots read' }) snapshotIds!: string[];
}

export class HeldPhaseDto {
  @ApiProperty({ description: 'Phase key' }) phase!: string;
  @ApiProperty({ description: "The phase's confirmed instant (UTC)" }) phaseAt!: string;
  @ApiProperty({ description: 'Held by its gates, or by a hold override', enum: ['gate', 'override'] })
  by!: string;
  @ApiProperty({ description: 'The latest evaluation known; null before any', nullable: true, type: String })
  evaluatedAt!: string | null;
  @ApiProperty({ nullable: true, enum: ['pass', 'fail', 'inconclusive'] }) outcome!: string | null;
  @ApiProperty({ type: [GateCheckDto] }) checks!: GateCheckDto[];
}

export class RequirementDto {
  @ApiProperty({ description: 'Policy id' })
  policy!: string;

  @ApiProperty({
    description: 'The governing revision number; null when none was published by asOf',
    nullable: true,
    type: Number,
  })
  revision!: number | null;

  @ApiProperty({ description: 'Population' })
  population!: string;

  @ApiProperty({
    description: 'Required level',
    enum: ['enforced', 'warn', 'report-only', 'expected', 'none'],
  })
  level!: string;

  @ApiProperty({
    description:
      'When this source began to give this level (UTC), as in force: never before the publication of the revision that made it',
    nullable: true,
    type: String,
  })
  since!: string | null;

  @ApiProperty({
    description:
      'When the plan dates it from (UTC): earlier than since when a revision backdates a phase or keeps one it took over',
    nullable: true,
    type: String,
  })
  plannedSince!: string | null;

  @ApiProperty({
    description: 'Why: the phase, rule or statement that gives the level',
    type: RequirementSourceDto,
  })
  source!: RequirementSourceDto;

  @ApiPropertyOptional({
    description:
      'At warn and enforced, when the phase or its policy gives one: the setup instructions to show users without MFA',
  })
  instructionsUrl?: string;

  @ApiPropertyOptional({
    description:
      'Gated phases that would raise this requirement but are held, with the failing gate and its value',
    type: [HeldPhaseDto],
  })
  held?: HeldPhaseDto[];
}

export class UpcomingDto {
  @ApiProperty({ description: 'Policy id' })
  policy!: string;

  @ApiProperty({ description: 'Revision that plans the change' })
  revision!: number;

  @ApiProperty({ description: 'Population' })
  population!: string;

  @ApiProperty({
    description: 'Level after the change',
    enum: ['enforced', 'warn', 'report-only', 'expected', 'none'],
  })
  level!: string;

  @ApiProperty({ description: 'When (UTC); null for a tentative target', nullable: true, type: String })
  at!: string | null;

  @ApiProperty({
    description: 'Tentative target (YYYY-MM or a date); null when confirmed',
    nullable: true,
    type: String,
  })
  tentative!: string | null;

  @ApiPropertyOptional({ description: 'Phase key causing it' })
  phase?: string;

  @ApiPropertyOptional({ description: 'Standing rule causing it' })
  rule?: string;

  @ApiPropertyOptional({
    description: 'A gated phase not yet released: at is the earliest it may take effect; why it waits',
    type: HeldPhaseDto,
  })
  held?: HeldPhaseDto;
}

export class RequirementsAnswerDto {
  @ApiProperty({ description: 'Service id' })
  service!: string;

  @ApiProperty({ description: 'The instant asked about (UTC)' })
  at!: string;

  @ApiProperty({ description: 'The knowledge time (UTC)' })
  asOf!: string;

  @ApiProperty({ description: 'One requirement per (policy, population)', type: [RequirementDto] })
  requirements!: RequirementDto[];

  @ApiProperty({ description: 'Level changes after `at`, as known at asOf', type: [UpcomingDto] })
  upcoming!: UpcomingDto[];
}
