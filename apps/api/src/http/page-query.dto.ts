import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_LIMIT, MAX_CURSOR_LENGTH, MAX_PAGE_LIMIT } from '@stepwise/common/page-cursor';

// Only plain digits become a number: `0x10` or `1e2` stay strings and fail @IsInt, naming `limit`.
const digitsToNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value;

/** `limit` and `cursor` of every keyset-paged list but the audit's (docs/adr/0100-list-paging.md). */
export class PageQueryDto {
  @ApiPropertyOptional({
    description: `Items per page, at most ${MAX_PAGE_LIMIT}`,
    type: 'integer',
    default: DEFAULT_PAGE_LIMIT,
    minimum: 1,
    maximum: MAX_PAGE_LIMIT,
  })
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    description: 'The nextCursor of the previous page, with the same filters; omit for the first page',
  })
  @IsOptional()
  @IsString()
  @Length(1, MAX_CURSOR_LENGTH)
  cursor?: string;
}
