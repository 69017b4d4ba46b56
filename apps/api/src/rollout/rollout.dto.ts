import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../http/page-query.dto';

export const ROLLOUT_STATES = ['in-sync', 'pending', 'failing', 'disabled'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

export class RolloutItemDto {
  @ApiProperty({ description: 'Service id' })
  service!: string;

  @ApiProperty({ description: 'How the service gets its rules', enum: ['webhook', 'pull'] })
  connector!: string;

  @ApiProperty({
    description:
      'in-sync: applied = desired; pending: not yet applied, or a redelivery of it is outstanding; ' +
      'failing: the last webhook send failed, or the enforcement point reported a failed apply; ' +
      'disabled: the receiver answered 410 (a planner re-enables it with redeliver)',
    enum: ROLLOUT_STATES,
  })
  state!: RolloutState;

  @ApiProperty({ description: 'Desired generation; null until first computed', nullable: true, type: Number })
  desiredGeneration!: number | null;

  @ApiProperty({ description: 'Generation the service applied (webhook 2xx or ack); 0 for none' })
  appliedGeneration!: number;

  @ApiProperty({ description: 'Webhook sends since the last applied generation' })
  attempts!: number;

  @ApiProperty({
    description: 'Why the last send failed, or why the enforcement point could not apply it',
    nullable: true,
    type: String,
  })
  lastError!: string | null;

  @ApiProperty({ description: 'When the last send started (UTC)', nullable: true, type: String })
  lastAttemptAt!: string | null;

  @ApiProperty({ description: 'When a generation was last applied (UTC)', nullable: true, type: String })
  lastAppliedAt!: string | null;

  @ApiProperty({ description: 'Sends that repeated a generation the receiver may already have had' })
  duplicateDeliveries!: number;

  @ApiProperty({ description: 'When the connector was disabled (UTC)', nullable: true, type: String })
  disabledAt!: string | null;

  @ApiProperty({ description: 'Why it was disabled', nullable: true, type: String })
  disabledReason!: string | null;
}

export class RolloutQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Only the services in this state (the counts still cover every service)',
    enum: ROLLOUT_STATES,
  })
  @IsOptional()
  @IsIn(ROLLOUT_STATES)
  state?: RolloutState;
}

/** Keyed by the state names themselves, so that `counts[item.state]` reads a count. */
export class RolloutCountsDto {
  @ApiProperty({ description: 'Services whose desired generation is applied' })
  'in-sync'!: number;

  @ApiProperty({ description: 'Services not yet in sync, nothing failing (never computed included)' })
  pending!: number;

  @ApiProperty({
    description: 'Services whose last send failed or whose enforcement point reported a failure',
  })
  failing!: number;

  @ApiProperty({ description: 'Services whose receiver answered 410' })
  disabled!: number;
}

export class RolloutResponseDto {
  @ApiProperty({
    description: 'Services by state, of every service (whatever the state filter or the page)',
    type: RolloutCountsDto,
  })
  counts!: RolloutCountsDto;

  @ApiProperty({
    description:
      'When the counts were taken: this answer, while counting is cheap; on large directories (a count over 20 ms) up to a minute before, a new count being taken in the background once one is 5 s old',
    format: 'date-time',
    example: '2024-03-01T00:00:00.000Z',
  })
  countedAt!: string;

  @ApiProperty({
    description: 'One entry per service (in the asked state, if any), by service id, at most limit',
    type: [RolloutItemDto],
  })
  items!: RolloutItemDto[];

  @ApiProperty({
    description: 'Pass as cursor, with the same state, for the next page; null on the last page',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}

export class RedeliverDto {
  @ApiPropertyOptional({ description: 'Why (recorded in the audit log)', example: 'receiver fixed' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class RedeliveryResponseDto {
  @ApiProperty({ description: 'Service id' })
  service!: string;

  @ApiProperty({ description: 'The desired generation queued for delivery' })
  generation!: number;

  @ApiProperty({ description: 'Whether a disabled connector was re-enabled' })
  reenabled!: boolean;

  @ApiProperty({ description: 'The delivery job queued (unique per request)' })
  jobId!: string;
}
