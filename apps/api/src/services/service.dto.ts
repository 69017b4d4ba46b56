import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../http/page-query.dto';

const CAPABILITIES = ['ready', 'not-ready'] as const;
const CONNECTOR_TYPES = ['pull', 'webhook'] as const;
const DATE_OR_INSTANT = 'a date (midnight in STEPWISE_TIMEZONE) or an ISO 8601 instant with an offset';

export class ConnectorDto {
  @ApiProperty({
    description: 'How the service gets its rules: it pulls them, or Stepwise posts them',
    enum: CONNECTOR_TYPES,
  })
  @IsIn(CONNECTOR_TYPES)
  type!: 'pull' | 'webhook';

  @ApiPropertyOptional({
    description: 'Webhook target (http or https; private addresses only if allow-listed)',
  })
  @IsOptional()
  @IsString()
  url?: string;

  @ApiPropertyOptional({
    description: "Standard Webhooks secret ('whsec_' + base64 of at least 24 bytes); generated when absent",
  })
  @IsOptional()
  @IsString()
  secret?: string;
}

/** The body of POST /services, for the OpenAPI document: the domain's reader validates it. */
export class CreateServiceDto {
  @ApiProperty({ description: 'Slug id, e.g. utokyo-vpn', example: 'utokyo-vpn' })
  id!: string;

  @ApiProperty({ description: 'Display name' })
  name!: string;

  @ApiPropertyOptional({ description: 'Owning team or person (a label; token scopes decide access)' })
  owner?: string;

  @ApiPropertyOptional({ description: 'Tags phase selectors can match', type: [String] })
  tags?: string[];

  @ApiPropertyOptional({ description: `When the service went (or goes) into use: ${DATE_OR_INSTANT}` })
  introducedAt?: string;

  @ApiProperty({ description: 'MFA capability now (directory ○ = ready, × = not-ready)', enum: CAPABILITIES })
  mfaCapability!: 'ready' | 'not-ready';

  @ApiPropertyOptional({ description: `Only when ready: since when (default now); ${DATE_OR_INSTANT}` })
  readySince?: string;

  @ApiProperty({ description: 'Rules delivery', type: ConnectorDto })
  connector!: ConnectorDto;
}

/** PATCH /services/:id: absent fields stay; null clears owner or introducedAt. */
export class UpdateServiceDto {
  @ApiPropertyOptional({ description: 'Display name' })
  @ValidateIf((dto: UpdateServiceDto) => dto.name !== undefined)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ description: 'Owning team or person; null clears it', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  owner?: string | null;

  @ApiPropertyOptional({ description: 'Tags, replacing the current ones', type: [String] })
  @ValidateIf((dto: UpdateServiceDto) => dto.tags !== undefined)
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: `${DATE_OR_INSTANT}; null clears it`, nullable: true, type: String })
  @IsOptional()
  @IsString()
  introducedAt?: string | null;

  @ApiPropertyOptional({
    description: 'A new connector; a new webhook secret is returned once',
    type: ConnectorDto,
  })
  @ValidateIf((dto: UpdateServiceDto) => dto.connector !== undefined)
  @ValidateNested()
  @Type(() => ConnectorDto)
  connector?: ConnectorDto;
}

export class CapabilityChangeDto {
  @ApiProperty({ description: 'The capability from effectiveAt on', enum: CAPABILITIES })
  @IsIn(CAPABILITIES)
  mfaCapability!: 'ready' | 'not-ready';

  @ApiPropertyOptional({ description: `When it takes effect (default now): ${DATE_OR_INSTANT}` })
  @IsOptional()
  @IsString()
  effectiveAt?: string;
}

export class CapabilityFactDto {
  @ApiProperty({ description: 'Capability from effectiveAt on', enum: CAPABILITIES })
  mfaCapability!: 'ready' | 'not-ready';

  @ApiProperty({ description: 'When the fact applies from (UTC)' })
  effectiveAt!: string;

  @ApiProperty({ description: 'When the directory learnt it (UTC)' })
  recordedAt!: string;

  @ApiProperty({ description: 'Loaded from a services file, backdated to its dates' })
  imported!: boolean;
}

export class ConnectorResponseDto {
  @ApiProperty({ description: 'pull or webhook', enum: CONNECTOR_TYPES })
  type!: 'pull' | 'webhook';

  @ApiProperty({ description: 'Webhook target', nullable: true, type: String })
  url!: string | null;

  @ApiProperty({
    description: 'When deliveries stopped (the target answered 410)',
    nullable: true,
    type: String,
  })
  disabledAt!: string | null;

  @ApiProperty({ description: 'Why deliveries stopped', nullable: true, type: String })
  disabledReason!: string | null;

  @ApiPropertyOptional({ description: 'The webhook secret: only in the answer that set it, never again' })
  secret?: string;
}

export class ServiceResponseDto {
  @ApiProperty({ description: 'Slug id' })
  id!: string;

  @ApiProperty({ description: 'Display name' })
  name!: string;

  @ApiProperty({ description: 'Owning team or person', nullable: true, type: String })
  owner!: string | null;

  @ApiProperty({ description: 'Tags', type: [String] })
  tags!: string[];

  @ApiProperty({ description: 'When the service went into use (UTC)', nullable: true, type: String })
  introducedAt!: string | null;

  @ApiProperty({ description: 'Capability now', enum: CAPABILITIES })
  mfaCapability!: 'ready' | 'not-ready';

  @ApiProperty({
    description: 'Start of the current ready spell (UTC); null when not ready',
    nullable: true,
    type: String,
  })
  readySince!: string | null;

  @ApiProperty({ description: 'Every capability fact, in the order they apply', type: [CapabilityFactDto] })
  capabilityHistory!: CapabilityFactDto[];

  @ApiProperty({ description: 'Rules delivery', type: ConnectorResponseDto })
  connector!: ConnectorResponseDto;

  @ApiProperty({ description: 'Optimistic-concurrency version; the ETag is its quoted form' })
  version!: number;

  @ApiProperty({ description: 'When the directory learnt of the service (UTC)' })
  recordedAt!: string;

  @ApiProperty({ description: 'Last change (UTC)' })
  updatedAt!: string;

  @ApiProperty({ description: 'Loaded from a services file' })
  imported!: boolean;
}

export class ServiceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Only services whose id or name contains this text, in any case',
    example: 'vpn',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ description: 'Only services carrying this tag', example: 'external' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  tag?: string;
}

export class ServicePageDto {
  @ApiProperty({
    description: 'Services by id (a service owner: only their own), at most limit of them',
    type: [ServiceResponseDto],
  })
  items!: ServiceResponseDto[];

  @ApiProperty({
    description: 'Pass as cursor, with the same q and tag, for the next page; null on the last page',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}
