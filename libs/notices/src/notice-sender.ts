import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createTransport, type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { type AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { systemActor } from '@stepwise/common/principal';
import { urlWithoutCredentials } from '@stepwise/common/url-without-credentials';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { composeMail, type MailLanguage, type MailNotice } from './notice-message';

const WORKER: AuditContext = { actor: systemActor('worker'), requestId: null };

interface MailRow {
  id: string;
  name: string;
  email: string;
  language: MailLanguage;
  message_id: string;
  status: 'pending' | 'sent';
}

interface ItemRow {
  id: string;
  kind: MailNotice['kind'];
  policy_id: string;
  policy_title: string;
  timezone: string;
  instructions_url: string | null;
  service_id: string;
  service_name: string;
  level: string;
  from_level: string | null;
  transition_at: Date | null;
  tentative: string | null;
  lead_days: number | null;
  populations: string[];
  cause: string;
  change: MailNotice['change'];
}

const ITEMS_SQL = `SELECT n.id, n.kind, n.policy_id, p.title AS policy_title, p.timezone,
  p.instructions_url, n.service_id, s.name AS service_name, n.level, n.from_level, n.transition_at,
  n.tentative, n.lead_days, n.populations, n.cause, n.change
  FROM notice_mail_items i JOIN notices n ON n.id = i.notice_id
  JOIN policies p ON p.id = n.policy_id JOIN services s ON s.id = n.service_id
  WHERE i.mail_id = $1 ORDER BY n.transition_at NULLS LAST, n.id`;

/** A pooled transport (connections kept and reused), unless the URL says otherwise. */
function pooled(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) {
    url.searchParams.set('pool', 'true');
  }
  return url.toString();
}

export type SendOutcome = 'sent' | 'already-sent' | 'not-configured';

/**
 * Sends one mail of the outbox over SMTP (a pooled nodemailer transport). The mail row decides:
 * one already sent is not sent again, and a send repeated after a crash between the server's
 * acceptance and the row's update carries the same Message-ID, so mail clients show it once.
 */
@Injectable()
export class NoticeSender implements OnApplicationShutdown {
  private readonly logger = new Logger(NoticeSender.name);
  private readonly transport: Transporter | null;
  private readonly from: string;
  private readonly publicUrl: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    const smtpUrl = config.get('STEPWISE_SMTP_URL', { infer: true });
    this.transport = smtpUrl === '' ? null : createTransport(pooled(smtpUrl));
    this.from = config.get('STEPWISE_MAIL_FROM', { infer: true });
    const publicUrl = config.get('STEPWISE_PUBLIC_URL', { infer: true });
    this.publicUrl = (publicUrl || `http://localhost:${config.get('PORT', { infer: true })}`).replace(
      /\/+$/,
      '',
    );
    if (this.transport !== null) {
      this.logger.log(`notices are sent through ${urlWithoutCredentials(smtpUrl)} from ${this.from}`);
    }
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  /** The domain of the From address, which ends every Message-ID. */
  get messageIdDomain(): string {
    const address = /<([^>]+)>/.exec(this.from)?.[1] ?? this.from;
    return address.includes('@') ? `stepwise@${address.split('@')[1]}` : 'stepwise@localhost';
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  async send(mailId: string): Promise<SendOutcome> {
    if (this.transport === null) {
      return 'not-configured';
    }
    const [mail] = await this.dataSource.query<MailRow[]>(
      'SELECT id, name, email, language, message_id, status FROM notice_mails WHERE id = $1',
      [mailId],
    );
    if (mail === undefined || mail.status === 'sent') {
      return 'already-sent';
    }
    const items = await this.dataSource.query<ItemRow[]>(ITEMS_SQL, [mailId]);
    const notices = items.map((row): MailNotice => ({
      id: row.id,
      kind: row.kind,
      policy: row.policy_id,
      policyTitle: row.policy_title,
      timezone: row.timezone,
      service: row.service_id,
      serviceName: row.service_name,
      level: row.level,
      fromLevel: row.from_level,
      transitionAt: row.transition_at,
      tentative: row.tentative,
      leadDays: row.lead_days,
      populations: row.populations,
      cause: row.cause,
      instructionsUrl: row.instructions_url,
      change: row.change,
    }));
    const composed = composeMail(mail.language, mail.name, notices, this.publicUrl);
    try {
      await this.transport.sendMail({
        from: this.from,
        to: { name: mail.name, address: mail.email },
        subject: composed.subject,
        text: composed.text,
        messageId: mail.message_id,
        headers: { 'X-Stepwise-Notices': notices.map((notice) => notice.id).join(',') },
        attachments:
          composed.ics === null
            ? []
            : [
                {
                  filename: 'stepwise.ics',
                  content: composed.ics,
                  contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
                },
              ],
      });
    } catch (error) {
      await this.recordFailure(mail, error);
      throw error;
    }
    await this.auditLog.change(WORKER, async ({ manager, audit }) => {
      await manager.query(
        `UPDATE notice_mails SET status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL
         WHERE id = $1`,
        [mail.id, this.clock.now().toJSDate()],
      );
      audit({
        action: 'notice.sent',
        resourceType: 'notice-mail',
        resourceId: mail.id,
        after: { to: mail.email, messageId: mail.message_id, notices: notices.map((notice) => notice.id) },
      });
    });
    return 'sent';
  }

  private async recordFailure(mail: MailRow, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(`notice mail ${mail.id} to ${mail.email} not sent (retried with backoff): ${message}`);
    await this.auditLog.change(WORKER, async ({ manager, audit }) => {
      await manager.query(`UPDATE notice_mails SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
        mail.id,
        message.slice(0, 500),
      ]);
      audit({
        action: 'notice.send-failed',
        resourceType: 'notice-mail',
        resourceId: mail.id,
        outcome: 'failure',
        after: { to: mail.email, messageId: mail.message_id, error: message.slice(0, 500) },
      });
    });
  }
}
