import { ApiProperty } from '@nestjs/swagger';

export class GateOverrideRequestDto {
  @ApiProperty({ enum: ['release', 'hold'], description: 'release a held phase, or hold a passing one' })
  action!: 'release' | 'hold';
  @ApiProperty({ description: 'Why (required)' })
  reason!: string;
  @ApiProperty({ description: 'Until when it acts: a date or an instant with offset, in the future' })
  expiresAt!: string;
}

export class GateOverrideDto {
  @ApiProperty() id!: string;
  @ApiProperty() policy!: string;
  @ApiProperty() phase!: string;
  @ApiProperty({ enum: ['release', 'hold'] }) action!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ enum: ['requested', 'approved'] }) status!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ nullable: true, type: String }) approvedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedAt!: string | null;
}
