import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class RuleSourceDto {
  @ApiProperty({ description: 'What gives the level', enum: ['phase', 'rule', 'statement', 'none'] })
  kind!: string;

  @ApiPropertyOptional({ description: 'The phase key, when kind is phase' })
  phase?: string;

  @ApiPropertyOptional({
    description: 'The standing rule, when kind is rule',
    enum: ['mfa-ready', 'service-introduced'],
  })
  rule?: string;
}

export class RuleDto {
  @ApiProperty({ description: 'Policy id' })
  policy!: string;

  @ApiProperty({
    description: 'Governing revision number; null when none is in force',
    nullable: true,
    type: Number,
  })
  revision!: number | null;

  @ApiProperty({ description: 'Population' })
  population!: string;

  @ApiProperty({ description: 'Level to apply', enum: ['enforced', 'report-only', 'expected', 'none'] })
  level!: string;

  @ApiProperty({ description: 'Since when this source gives this level (UTC)', nullable: true, type: String })
  since!: string | null;

  @ApiProperty({ description: 'Why: the phase, rule or statement', type: RuleSourceDto })
  source!: RuleSourceDto;
}

export class RulesDocumentDto {
  @ApiProperty({ description: 'Service id' })
  service!: string;

  @ApiProperty({
    description: 'Grows by one each time the rules of this service change, and only then; also the ETag',
    example: 7,
  })
  generation!: number;

  @ApiProperty({ description: 'sha256 of the canonical {service, rules, nextChangeAt}', example: 'sha256:…' })
  hash!: string;

  @ApiProperty({ description: 'When this generation was computed (UTC)' })
  computedAt!: string;

  @ApiProperty({ description: 'One rule per (policy, population)', type: [RuleDto] })
  rules!: RuleDto[];

  @ApiProperty({
    description: 'When these rules next change (UTC); null when nothing is scheduled',
    nullable: true,
    type: String,
  })
  nextChangeAt!: string | null;
}

export class AckRulesDto {
  @ApiProperty({ description: 'The generation the enforcement point has applied', example: 7, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  generation!: number;
}
