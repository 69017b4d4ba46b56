import { ApiProperty } from '@nestjs/swagger';
import { RequirementSourceDto } from '../requirements/requirements.dto';

export class ImpactChangeDto {
  @ApiProperty({ description: 'Service id' })
  service!: string;

  @ApiProperty({ description: 'Population' })
  population!: string;

  @ApiProperty({ description: 'From when the level would differ (UTC)' })
  at!: string;

  @ApiProperty({
    description: 'Level without the revision',
    enum: ['enforced', 'warn', 'report-only', 'expected', 'none'],
  })
  from!: string;

  @ApiProperty({
    description: 'Level with the revision',
    enum: ['enforced', 'warn', 'report-only', 'expected', 'none'],
  })
  to!: string;

  @ApiProperty({ description: 'What gives the new level', type: RequirementSourceDto })
  source!: RequirementSourceDto;
}

export class ImpactDto {
  @ApiProperty({ description: 'Policy id' })
  policy!: string;

  @ApiProperty({ description: 'The revision whose impact this is' })
  revision!: number;

  @ApiProperty({ description: 'Its status', example: 'draft' })
  status!: string;

  @ApiProperty({ description: 'The revision in force now, compared against', nullable: true, type: Number })
  against!: number | null;

  @ApiProperty({ description: 'When the revision would take over (UTC): its publishAt, or now' })
  takesOverAt!: string;

  @ApiProperty({
    description: 'Every (service, population) whose level would change',
    type: [ImpactChangeDto],
  })
  changes!: ImpactChangeDto[];
}
