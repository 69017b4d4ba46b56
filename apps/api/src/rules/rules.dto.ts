import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { RequirementDto } from '../requirements/requirements.dto';

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

  /** A rule is the requirement at that instant: one answer shape for both. */
  @ApiProperty({ description: 'One rule per (policy, population)', type: [RequirementDto] })
  rules!: RequirementDto[];

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

export class RulesFailureDto {
  @ApiProperty({
    description: 'The generation the enforcement point failed to apply',
    example: 8,
    minimum: 1,
  })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  generation!: number;

  @ApiProperty({
    description: 'Why it failed, as the enforcement point saw it (shown in the rollout view)',
    example: 'apachectl configtest: Syntax error on line 3',
    maxLength: 1000,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  error!: string;
}
