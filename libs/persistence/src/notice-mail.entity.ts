import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type NoticeMailStatus = 'pending' | 'sent';

/**
 * One mail to one address: the digest of the notices due for them when it was made. Its id makes
 * the Message-ID, so a send repeated after a crash carries the same one.
 */
@Entity({ name: 'notice_mails' })
@Index('notice_mails_pending', ['id'], { where: `status = 'pending'` })
export class NoticeMailEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** The first contact row of this address (one person may be a contact of several services). */
  @Column({ name: 'contact_id', type: 'bigint' })
  contactId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** One digest per address: notices of all its services go together. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  language!: string;

  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: NoticeMailStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

/** Which notices a mail carries; (notice, contact) once, so a notice reaches a contact in one mail. */
@Entity({ name: 'notice_mail_items' })
@Index('notice_mail_items_mail', ['mailId'])
export class NoticeMailItemEntity {
  @PrimaryColumn({ name: 'notice_id', type: 'bigint' })
  noticeId!: string;

  @PrimaryColumn({ name: 'contact_id', type: 'bigint' })
  contactId!: string;

  @Column({ name: 'mail_id', type: 'bigint' })
  mailId!: string;
}
