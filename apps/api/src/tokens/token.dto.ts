import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { ROLES, Role } from '@stepwise/common/principal';

export class CreateTokenDto {
  @ApiProperty({
    description: 'Who or what holds the token (shown in the audit history)',
    example: 'vpn-gateway',
  })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ description: 'What the token may do', enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    description:
      'Service ids the token is limited to: one or more for service-owner, exactly one for connector, refused for other roles',
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(1000)
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { each: true, message: 'each service id must be a slug' })
  services?: string[];
}

export class CreatedTokenDto {
  @ApiProperty({ description: 'Token id (use it to revoke)' })
  id!: string;

  @ApiProperty({ description: 'The bearer secret. Shown once; only its hash is stored.' })
  token!: string;
}
