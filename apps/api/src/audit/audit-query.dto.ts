import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@stepwise/audit/audit-query.service';
import { EXPORT_FORMATS, ExportFormat } from '@stepwise/audit/audit-export.service';
import { IsInstant } from './is-instant.validator';

/** Filters shared by the list and the export; they combine with AND. */
export class AuditFilterQueryDto {
  @ApiPropertyOptional({ description: 'Only events of this action', example: 'token.created' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  action?: string;

  @ApiPropertyOptional({ description: 'Only events about this kind of resource', example: 'token' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  resourceType?: string;

  @ApiPropertyOptional({ description: 'Only events about the resource with this id' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  resourceId?: string;

  @ApiPropertyOptional({
    description: "Only events by this actor id (a token id, 'bootstrap-admin' or 'system:<component>')",
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actor?: string;

  @ApiPropertyOptional({
    description: 'Only events that occurred at or after this instant (ISO 8601 with an offset)',
    example: '2024-03-01T00:00:00Z',
  })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({
    description: 'Only events that occurred before this instant (ISO 8601 with an offset)',
    example: '2024-04-01T00:00:00Z',
  })
  @IsOptional()
  @IsInstant()
  to?: string;
}

// Only plain digits become a number: `0x10` or `1e2` stay strings and fail @IsInt, naming `limit`.
const digitsToNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value;

export class AuditPageQueryDto extends AuditFilterQueryDto {
  @ApiPropertyOptional({
    description: `Events per page (newest first), at most ${MAX_PAGE_SIZE}`,
    default: DEFAULT_PAGE_SIZE,
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
  })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page; omit for the newest page' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  cursor?: string;
}

export class AuditExportQueryDto extends AuditFilterQueryDto {
  @ApiPropertyOptional({
    description: 'ndjson: one event per line with its hashes (verifiable offline); csv: a spreadsheet view',
    enum: EXPORT_FORMATS,
    default: 'ndjson',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}
