import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuditActorDto {
  @ApiProperty({
    description: "Token id, or a fixed id for non-token actors ('bootstrap-admin', 'system:worker')",
  })
  id!: string;

  @ApiProperty({ description: 'The name the token was created with, or the component' })
  name!: string;

  @ApiProperty({ description: "The actor's role when it acted ('system' for the worker, CLI and bootstrap)" })
  role!: string;
}

export class AuditEventDto {
  @ApiProperty({ description: 'Position in the chain: 1, 2, 3 … with no gaps' })
  seq!: number;

  @ApiProperty({ description: 'When the event was recorded (database clock, UTC ISO 8601)' })
  occurredAt!: string;

  @ApiProperty({ description: 'Who acted', type: AuditActorDto })
  actor!: AuditActorDto;

  @ApiProperty({ description: 'What happened: dotted, past tense', example: 'token.created' })
  action!: string;

  @ApiProperty({ description: 'The kind of resource acted on', example: 'token' })
  resourceType!: string;

  @ApiProperty({ description: 'The id of the resource acted on' })
  resourceId!: string;

  @ApiProperty({
    description: 'Snapshot before the change (null when created)',
    type: 'object',
    additionalProperties: true,
    nullable: true,
  })
  before!: unknown;

  @ApiProperty({
    description: 'Snapshot after the change (null when removed)',
    type: 'object',
    additionalProperties: true,
    nullable: true,
  })
  after!: unknown;

  @ApiProperty({ description: 'Why, where the action takes a reason', type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ description: 'The request that caused it (x-request-id)', type: String, nullable: true })
  requestId!: string | null;

  @ApiProperty({ description: 'success, denied or failure', example: 'success' })
  outcome!: string;

  @ApiProperty({ description: "The previous event's hash (the genesis constant, 64 zeros, for seq 1)" })
  prevHash!: string;

  @ApiProperty({
    description: 'SHA-256 (hex) over a domain prefix and the canonical JSON of every other field',
  })
  hash!: string;
}

export class AuditPageDto {
  @ApiProperty({ description: 'Events, newest first', type: [AuditEventDto] })
  items!: AuditEventDto[];

  @ApiProperty({
    description: 'Pass as cursor for the next, older page; null on the last page',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}

export class AuditVerificationDto {
  @ApiProperty({ description: 'Whether the whole chain, up to the head row, recomputes unaltered' })
  ok!: boolean;

  @ApiProperty({ description: 'Events verified (before the first bad one, when not ok)' })
  checked!: number;

  @ApiPropertyOptional({ description: 'Seq of the last event (ok only); compare with an export' })
  headSeq?: number;

  @ApiPropertyOptional({ description: 'Hash of the last event (ok only); compare with an export' })
  headHash?: string;

  @ApiPropertyOptional({
    description: 'Seq of the first event that is altered, missing or mislinked (not ok only)',
  })
  firstBadSeq?: number;

  @ApiPropertyOptional({ description: 'Why that event fails (not ok only)' })
  reason?: string;
}
