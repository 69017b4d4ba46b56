import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NOTICE_KINDS, NOTICE_STATUSES } from '@stepwise/notices/notice-query.service';
import { PageQueryDto } from '../http/page-query.dto';

/** Documents POST /services/:id/contacts; the body is read by the contact reader (fields named on 400). */
export class CreateContactDto {
  @ApiProperty({ description: 'Who', example: '山田 花子' })
  name!: string;

  @ApiProperty({ description: 'Where notices go (stored lower-cased; one contact per address and service)' })
  email!: string;

  @ApiProperty({ description: 'Language of the notices', enum: ['ja', 'en'] })
  language!: 'ja' | 'en';
}

export class ContactDto extends CreateContactDto {
  @ApiProperty({ description: 'Contact id' })
  id!: string;

  @ApiProperty({ description: 'Service id' })
  service!: string;

  @ApiProperty({ description: 'When added (UTC)' })
  createdAt!: string;
}

export class NoticeSettingsDto {
  @ApiProperty({
    description: 'Lead times in days before a transition (0 to 365, 1 to 10 of them)',
    type: [Number],
    example: [30, 7, 1],
  })
  leadDays!: number[];

  @ApiProperty({ description: "Local time in the policy's zone at which notices are sent", example: '09:00' })
  sendAt!: string;
}

export class NoticeListQueryDto {
  @ApiPropertyOptional({ description: 'Service id' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'service must be a service id' })
  service?: string;

  @ApiPropertyOptional({ description: 'Policy id' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'policy must be a policy id' })
  policy?: string;

  @ApiPropertyOptional({ description: 'pending, dispatched, sent or superseded', enum: NOTICE_STATUSES })
  @IsOptional()
  @IsIn(NOTICE_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Kind of notice', enum: NOTICE_KINDS })
  @IsOptional()
  @IsIn(NOTICE_KINDS)
  kind?: string;

  @ApiPropertyOptional({ description: 'Due at or after this instant (ISO with offset)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ description: 'Due before this instant (ISO with offset)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}

export class NoticePageQueryDto extends IntersectionType(NoticeListQueryDto, PageQueryDto) {}

export class NoticeMailDto {
  @ApiProperty({ description: 'Address' })
  to!: string;

  @ApiProperty({ description: 'The stable Message-ID of the mail' })
  messageId!: string;

  @ApiProperty({
    description: 'When the SMTP server accepted it; null: not yet',
    nullable: true,
    type: String,
  })
  sentAt!: string | null;
}

export class NoticeDto {
  @ApiProperty() id!: string;
  @ApiProperty() policy!: string;
  @ApiProperty() service!: string;
  @ApiProperty({ enum: NOTICE_KINDS }) kind!: string;
  @ApiProperty({ enum: NOTICE_STATUSES }) status!: string;
  @ApiProperty({ description: 'Level after the transition' }) level!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Level before' }) fromLevel!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The transition instant (UTC)' })
  transitionAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'A tentative target' }) tentative!: string | null;
  @ApiProperty({ description: 'phase:<key>, rule:<on> or statement' }) cause!: string;
  @ApiProperty({ type: [String] }) populations!: string[];
  @ApiProperty() revision!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The lead time; null for a tentative, updated or cancelled notice',
  })
  leadDays!: number | null;
  @ApiProperty({ description: 'When it is (or was) due to be sent' }) dueAt!: string;
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'Updated or cancelled: the previous and new instant or target, level, and the reason',
  })
  change!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) supersededAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The updated or cancelled notice that replaced it',
  })
  supersededBy!: string | null;
  @ApiProperty({ type: [NoticeMailDto] }) mails!: NoticeMailDto[];
  @ApiProperty() createdAt!: string;
}

export class NoticePageDto {
  @ApiProperty({ type: [NoticeDto] }) items!: NoticeDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
