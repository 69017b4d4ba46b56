import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/common/clock';

/** The notices claimed for mail in one pass. */
export const DISPATCH_BATCH = 5000;

// One statement: take the due notices (locked, so two workers never take one), find every contact
// of their services, make one mail per address (the Message-ID is fixed here, from the mail's id),
// record which notices each mail carries, and mark the notices dispatched.
const DISPATCH_SQL = `
WITH due AS (
  SELECT id, service_id FROM notices
  WHERE status = 'pending' AND superseded_at IS NULL AND due_at <= $1
  ORDER BY due_at, id LIMIT ${DISPATCH_BATCH} FOR UPDATE SKIP LOCKED
), pairs AS (
  SELECT d.id AS notice_id, c.id AS contact_id, lower(c.email) AS email, c.name, c.language
  FROM due d JOIN service_contacts c ON c.service_id = d.service_id
), recipients AS (
  SELECT DISTINCT ON (email) email, name, language, contact_id FROM pairs ORDER BY email, contact_id
), numbered AS (
  SELECT nextval(pg_get_serial_sequence('notice_mails', 'id')) AS id, * FROM recipients
), mails AS (
  INSERT INTO notice_mails (id, contact_id, name, email, language, message_id, created_at)
  SELECT id, contact_id, name, email, language, '<notice-' || id || '.' || $2 || '>', $1 FROM numbered
  RETURNING id, email
), items AS (
  INSERT INTO notice_mail_items (notice_id, contact_id, mail_id)
  SELECT p.notice_id, p.contact_id, m.id FROM pairs p JOIN mails m ON m.email = p.email
  ON CONFLICT DO NOTHING
), marked AS (
  UPDATE notices SET status = 'dispatched', dispatched_at = $1 WHERE id IN (SELECT id FROM due)
)
SELECT id FROM mails ORDER BY id`;

/**
 * Turns due notices into mails. Notices of a service without contacts are dispatched too (to
 * nobody): a contact added later is told about what is still ahead, not about what is past.
 */
@Injectable()
export class NoticeDispatcher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** New mail ids; `domain` ends the Message-ID (`<notice-42.stepwise@example.ac.jp>`). */
  async dispatchDue(domain: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(DISPATCH_SQL, [
      this.clock.now().toJSDate(),
      domain,
    ]);
    return rows.map((row) => row.id);
  }

  /** Mails not sent yet (after a crash or while SMTP was down): the sweep queues them again. */
  async unsentMails(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM notice_mails WHERE status = 'pending' ORDER BY id LIMIT 10000`,
    );
    return rows.map((row) => row.id);
  }

  async pendingCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM notices WHERE status = 'pending' AND superseded_at IS NULL AND due_at <= $1`,
      [this.clock.now().toJSDate()],
    );
    return Number(row.n);
  }
}
