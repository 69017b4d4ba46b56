import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '@stepwise/common/domain-error';

class FieldErrorDto {
  @ApiProperty({ description: 'Where the problem sits: a field, a dotted path or a parameter' })
  field!: string;

  @ApiProperty({ description: 'What is wrong with it, e.g. "is required", "is not a known field"' })
  message!: string;
}

/** The one error shape every refusal has (error-body.ts builds it; docs/api.md lists the codes). */
export class ErrorDto {
  @ApiProperty({ description: 'The HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({ description: "The status's reason phrase, e.g. Forbidden" })
  error!: string;

  @ApiProperty({ description: 'What went wrong, in words; a 400 names each field' })
  message!: string;

  @ApiProperty({ description: 'What went wrong, for programs', enum: Object.values(ErrorCode) })
  code!: ErrorCode;

  @ApiPropertyOptional({ description: 'A 400: each problem by its field', type: [FieldErrorDto] })
  fields?: FieldErrorDto[];

  @ApiPropertyOptional({ description: 'A 500: the id its logged stack is filed under' })
  errorId?: string;
}
