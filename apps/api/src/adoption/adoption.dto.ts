import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ADOPTION_FORMATS, type AdoptionFormat } from '@stepwise/domain/adoption-file';
import { PageQueryDto } from '../http/page-query.dto';

export class AdoptionImportQueryDto {
  @ApiPropertyOptional({
    description:
      'generic (population,asOf,eligible,registered[,exempt]), or a per-person export: entra, okta, google',
    enum: ADOPTION_FORMATS,
    default: 'generic',
  })
  @IsOptional()
  @IsIn(ADOPTION_FORMATS)
  format?: AdoptionFormat;

  @ApiPropertyOptional({
    description:
      'Per-person exports: the instant the export describes (an instant with offset, or a date). Default now',
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  asOf?: string;
}

export class AdoptionQueryDto {
  @ApiPropertyOptional({ description: 'What was known then: an instant with offset, or a date. Default now' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  asOf?: string;
}

export class AdoptionHistoryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only this population', example: 'students' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  population?: string;
}

export class AdoptionSnapshotDto {
  @ApiProperty({ description: 'Snapshot id' })
  id!: string;
  @ApiProperty({ example: 'students' })
  population!: string;
  @ApiProperty({ description: 'The instant the counts describe (UTC)' })
  asOf!: string;
  @ApiProperty({ description: 'People who must use MFA (disabled, suspended and service accounts left out)' })
  eligible!: number;
  @ApiProperty({ description: 'Of them, people with MFA set up' })
  registered!: number;
  @ApiProperty({ description: 'registered, plus people holding an active loaned device' })
  covered!: number;
  @ApiProperty({ description: 'Exempt people (not counted against the share)' })
  exempt!: number;
  @ApiProperty({ description: 'The file format it came from', enum: ADOPTION_FORMATS })
  source!: string;
}

export class BadRowDto {
  @ApiProperty({ description: 'Line in the file (CSV) or item number (JSON)' })
  line!: number;
  @ApiProperty()
  message!: string;
}

export class AdoptionImportResultDto {
  @ApiProperty({ description: "SHA-256 of the file's bytes (CSV) or canonical JSON" })
  sha256!: string;
  @ApiProperty({ enum: ADOPTION_FORMATS })
  format!: string;
  @ApiProperty({ description: 'The same file was imported before: nothing added' })
  unchanged!: boolean;
  @ApiProperty({ description: 'Rows read' })
  rows!: number;
  @ApiProperty({ type: [AdoptionSnapshotDto] })
  added!: AdoptionSnapshotDto[];
  @ApiProperty({ description: 'Rows that could not be read' })
  badRows!: number;
  @ApiProperty({ description: 'The first 100 of them, by line', type: [BadRowDto] })
  bad!: BadRowDto[];

  @ApiPropertyOptional({
    description:
      'Per-person exports: people left out of the denominator, by reason (disabled, guest, service-account, unmapped)',
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  leftOut?: Record<string, number>;
}

export class AdoptionTotalsDto {
  @ApiProperty() eligible!: number;
  @ApiProperty() registered!: number;
  @ApiProperty() covered!: number;
  @ApiProperty() exempt!: number;
}

export class AdoptionOverviewDto {
  @ApiProperty({ description: 'What was known then (UTC)' })
  asOf!: string;
  @ApiPropertyOptional({
    description: 'Newest snapshot per population (not shown to service owners)',
    type: [AdoptionSnapshotDto],
  })
  latest?: AdoptionSnapshotDto[];
  @ApiProperty({ type: AdoptionTotalsDto })
  totals!: AdoptionTotalsDto;
}

export class AdoptionHistoryPageDto {
  @ApiProperty({ type: [AdoptionSnapshotDto], description: 'Newest first' })
  items!: AdoptionSnapshotDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page' })
  nextCursor!: string | null;
}
