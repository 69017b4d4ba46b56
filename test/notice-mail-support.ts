import type { AddressInfo } from 'node:net';
import type { ConfigService } from '@nestjs/config';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { AuditLog } from '@stepwise/audit/audit-log';
import { FixedClock } from '@stepwise/common/clock';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { PlanLoader } from '@stepwise/plan-snapshot/plan-loader';
import { NoticeDispatcher } from '@stepwise/notices/notice-dispatcher';
import { NoticePlanner } from '@stepwise/notices/notice-planner';
import { NoticeSender } from '@stepwise/notices/notice-sender';
import type { TestApi } from './support/test-api';

// An in-process SMTP server (smtp-server) whose mails are read back with mailparser, and the
// worker's notice pipeline driven by hand under a fixed clock.

export interface ReceivedMail {
  mail: ParsedMail;
  /** The fixed clock's instant when the server accepted it. */
  at: string;
}

export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  port = 0;
  /** How long the server takes to accept each mail. */
  acceptDelayMs = 0;
  /** Connections that ended in an error (a reset by a killed client). */
  readonly connectionErrors: Error[] = [];

  constructor(private readonly now: () => string) {}

  async start(port = 0): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            await new Promise((resolve) => setTimeout(resolve, this.acceptDelayMs));
            this.received.push({ mail, at: this.now() });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    // A client killed mid-session (the SIGKILL test does it on purpose) resets its connection:
    // smtp-server reports that as an 'error' event, which unheard would crash the suite.
    server.on('error', (error: Error) => this.connectionErrors.push(error));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server !== null) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

export function noticePipeline(sut: TestApi, clock: FixedClock, smtpUrl: string, publicUrl: string) {
  const env: Partial<EnvironmentVariables> = {
    STEPWISE_SMTP_URL: smtpUrl,
    STEPWISE_MAIL_FROM: 'Stepwise <stepwise@example.ac.jp>',
    STEPWISE_PUBLIC_URL: publicUrl,
    PORT: 3000,
  };
  const config = { get: (key: keyof EnvironmentVariables) => env[key] } as unknown as ConfigService<
    EnvironmentVariables,
    true
  >;
  const dataSource = sut.app.get(DataSource);
  const auditLog = sut.app.get(AuditLog, { strict: false });
  const planner = new NoticePlanner(dataSource, auditLog, clock, sut.app.get(PlanLoader, { strict: false }));
  const dispatcher = new NoticeDispatcher(dataSource, clock);
  const sender = new NoticeSender(dataSource, auditLog, clock, config);
  /** What the worker does on each wake-up: plan, dispatch what is due, send every unsent mail. */
  const tick = async (): Promise<{ sent: number; failed: number }> => {
    await planner.plan();
    await dispatcher.dispatchDue(sender.messageIdDomain);
    let sent = 0;
    let failed = 0;
    for (const id of await dispatcher.unsentMails()) {
      try {
        if ((await sender.send(id)) === 'sent') {
          sent += 1;
        }
      } catch {
        failed += 1;
      }
    }
    return { sent, failed };
  };
  return { planner, dispatcher, sender, tick, close: () => sender.onApplicationShutdown() };
}
