import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../http/page-query.dto';

export class LendDeviceDto {
  @ApiProperty({ description: 'Device serial; one active loan per serial (409 otherwise)' })
  serial!: string;
  @ApiProperty({ description: 'The borrower as a pseudonymous id, never a name or an address' })
  borrower!: string;
  @ApiProperty({ description: "The borrower's population", example: 'students' })
  population!: string;
  @ApiPropertyOptional({ description: 'When lent: a date or an instant with offset. Default now' })
  issuedAt?: string;
  @ApiProperty({ description: 'When due back: a date or an instant with offset, after issuedAt' })
  dueAt!: string;
}

export class LoanDto {
  @ApiProperty() id!: string;
  @ApiProperty() serial!: string;
  @ApiProperty() borrower!: string;
  @ApiProperty() population!: string;
  @ApiProperty() issuedAt!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ nullable: true, type: String }) returnedAt!: string | null;
  @ApiProperty({ enum: ['active', 'overdue', 'returned'] }) state!: string;
}

export class LoanQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'overdue', 'returned'], description: 'Only loans in this state' })
  @IsOptional()
  @IsIn(['active', 'overdue', 'returned'])
  state?: 'active' | 'overdue' | 'returned';

  @ApiPropertyOptional({ description: 'Only loans to this population' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  population?: string;
}

export class LoanInventoryDto {
  @ApiProperty() active!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty() returned!: number;
}

export class LoanPageDto {
  @ApiProperty({ type: [LoanDto], description: 'Oldest first' }) items!: LoanDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty({ type: LoanInventoryDto, description: 'Loans per state, all populations' })
  inventory!: LoanInventoryDto;
}
