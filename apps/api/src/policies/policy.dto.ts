import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of POST /policies, for the OpenAPI document: the domain's policy reader validates it. */
export class CreatePolicyDto {
  @ApiProperty({ description: 'Slug id', example: 'mfa-mandatory' })
  id!: string;

  @ApiProperty({ description: 'What the policy obliges' })
  title!: string;

  @ApiProperty({
    description: 'IANA zone in which date-only values of the plan are read',
    example: 'Asia/Tokyo',
  })
  timezone!: string;

  @ApiPropertyOptional({
    description: "Populations the policy covers (slugs); default ['everyone']",
    type: [String],
    example: ['faculty-staff', 'students'],
  })
  populations?: string[];

  @ApiPropertyOptional({
    description: 'Whether a second planner must approve before publishing (default true)',
  })
  requireApproval?: boolean;

  @ApiPropertyOptional({
    description: 'Setup instructions (http or https URL) that rules documents carry at warn and enforced',
    example: 'https://www.u-tokyo.ac.jp/mfa/setup',
  })
  instructionsUrl?: string;
}

export class PolicyResponseDto {
  @ApiProperty({ description: 'Slug id' })
  id!: string;

  @ApiProperty({ description: 'What the policy obliges' })
  title!: string;

  @ApiProperty({ description: 'IANA zone of the plan' })
  timezone!: string;

  @ApiProperty({ description: 'Populations the policy covers', type: [String] })
  populations!: string[];

  @ApiProperty({ description: 'Whether publishing needs an approval by someone other than the author' })
  requireApproval!: boolean;

  @ApiProperty({
    description: 'Setup instructions that rules documents carry at warn and enforced',
    nullable: true,
    type: String,
  })
  instructionsUrl!: string | null;

  @ApiProperty({
    description: 'Number of the revision in force now (newest published with publishAt <= now)',
    nullable: true,
    type: Number,
  })
  activeRevision!: number | null;

  @ApiProperty({
    description: 'Newest published revision, a scheduled one included (new drafts are based on it)',
    nullable: true,
    type: Number,
  })
  latestPublished!: number | null;

  @ApiProperty({ description: 'When the policy was created (UTC)' })
  createdAt!: string;
}
