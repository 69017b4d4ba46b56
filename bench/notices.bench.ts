import 'reflect-metadata';
import type { ConfigService } from '@nestjs/config';
import { Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { AuditLog } from '@stepwise/audit/audit-log';
import { SystemClock } from '@stepwise/common/clock';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { PlanLoader } from '@stepwise/plan-snapshot/plan-loader';
import { NoticeDispatcher } from '@stepwise/notices/notice-dispatcher';
import { NoticePlanner } from '@stepwise/notices/notice-planner';
import { NoticeSender } from '@stepwise/notices/notice-sender';
import { dataSourceOptions } from '@stepwise/persistence/data-source-options';
import { createScratchDatabase } from './support/scratch-database';
import { boundRun, percentile, publishBenchRevision, seedBenchDirectory } from './b2-plan-fixtures';

// Notices (issue 21), two figures, each beside its peer in the same run:
// 1. planning after one publish: 10,000 services x 3 lead times stored in the outbox (and, when
//    the date moves, 30,000 superseded plus 10,000 "updated" and 30,000 new), against a raw `pg`
//    INSERT ... unnest of the same rows into an identical empty table. Target: <= 2 s.
// 2. sending: the outbox's mails through NoticeSender (read, compose with .ics, pooled SMTP,
//    mark sent and audit) against a bare nodemailer loop of the same messages to the same local
//    SMTP server over the same pooled transport. Target: >= 0.5x the bare loop's mails/s.
const SERVICES = Number(process.env.BENCH_SERVICES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MAILS = Number(process.env.BENCH_MAILS ?? 500);
const DAY = 86_400_000;

async function main(): Promise<void> {
  boundRun(600);
  Logger.overrideLogger(['error']);
  const db = await createScratchDatabase('notices');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const dataSource = await new DataSource(dataSourceOptions(db.url, 4)).initialize();
  const clock = new SystemClock();
  const auditLog = new AuditLog(dataSource);
  const planner = new NoticePlanner(dataSource, auditLog, clock, new PlanLoader(dataSource));
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      stream.on('data', () => undefined);
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as { port: number }).port;
  try {
    await seedBenchDirectory(client, { count: SERVICES });
    await client.query('CREATE TABLE peer_notices (LIKE notices INCLUDING ALL)');
    const firsts: number[] = [];
    const moves: number[] = [];
    const peers: number[] = [];
    let number = 1;
    for (let round = 0; round < ROUNDS; round += 1) {
      await client.query('TRUNCATE notices');
      // One publish: a phase 60 days ahead (every lead time ahead), planned into an empty outbox.
      await publishBenchRevision(client, number++, [
        { key: 'step', at: new Date(Date.now() + 60 * DAY), enforcement: 'enforce' },
      ]);
      let started = performance.now();
      const first = await planner.plan();
      firsts.push(performance.now() - started);
      const { readMs, computeMs, writeMs } = first.timings;
      process.stdout.write(
        `  round ${round + 1}: read ${readMs.toFixed(0)} ms, compute ${computeMs.toFixed(0)} ms, write ${writeMs.toFixed(0)} ms\n`,
      );
      if (first.planned !== SERVICES * 3) {
        throw new Error(`expected ${SERVICES * 3} notices, got ${first.planned}`);
      }
      peers.push(await peerInsert(client));
      // The next publish moves the date: every notice superseded, one "updated" per service.
      await publishBenchRevision(client, number++, [
        { key: 'step', at: new Date(Date.now() + 61 * DAY), enforcement: 'enforce' },
      ]);
      started = performance.now();
      const moved = await planner.plan();
      moves.push(performance.now() - started);
      if (moved.changes !== SERVICES) {
        throw new Error(`expected ${SERVICES} updated notices, got ${moved.changes}`);
      }
    }
    const median = (values: number[]) => percentile(values, 50);
    const rows = SERVICES * 3;
    process.stdout.write(
      `Notices planning: ${SERVICES} services x 3 lead times after one publish, ${ROUNDS} rounds, medians\n` +
        `  stepwise plan (load, live timelines, one INSERT ... unnest): ${median(firsts).toFixed(0)} ms for ${rows} notices (target <= 2000 ms)\n` +
        `  peer raw pg INSERT ... unnest of the same rows: ${median(peers).toFixed(0)} ms\n` +
        `  a publish moving the date (supersede ${rows}, ${SERVICES} updated, ${rows} new, audited): ${median(moves).toFixed(0)} ms\n`,
    );
    await sendingFigures(client, dataSource, auditLog, clock, port);
  } finally {
    smtp.close();
    await dataSource.destroy();
    await client.end();
    await db.drop();
  }
}

/** The peer: the notices just planned, read back, inserted raw into an empty identical table. */
async function peerInsert(client: Client): Promise<number> {
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT key, policy_id, service_id, kind, transition_at, level, from_level, cause, populations, revision,
       lead_days, due_at, created_at FROM notices`,
  );
  await client.query('TRUNCATE peer_notices');
  const column = (name: string) => rows.map((row) => row[name]);
  const started = performance.now();
  await client.query(
    `INSERT INTO peer_notices (key, policy_id, service_id, kind, transition_at, level, from_level, cause,
       populations, revision, lead_days, due_at, created_at)
     SELECT k, p, s, kind, t, l, fl, c, string_to_array(pops, ','), rev, lead, due, created FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[],
       $7::text[], $8::text[], $9::text[], $10::int[], $11::int[], $12::timestamptz[], $13::timestamptz[])
       AS u(k, p, s, kind, t, l, fl, c, pops, rev, lead, due, created)`,
    [
      column('key'),
      column('policy_id'),
      column('service_id'),
      column('kind'),
      column('transition_at'),
      column('level'),
      column('from_level'),
      column('cause'),
      rows.map((row) => (row.populations as string[]).join(',')),
      column('revision'),
      column('lead_days'),
      column('due_at'),
      column('created_at'),
    ],
  );
  return performance.now() - started;
}

async function sendingFigures(
  client: Client,
  dataSource: DataSource,
  auditLog: AuditLog,
  clock: SystemClock,
  port: number,
): Promise<void> {
  const smtpUrl = `smtp://127.0.0.1:${port}`;
  const env: Partial<EnvironmentVariables> = {
    STEPWISE_SMTP_URL: smtpUrl,
    STEPWISE_MAIL_FROM: 'Stepwise <stepwise@example.ac.jp>',
    STEPWISE_PUBLIC_URL: 'https://stepwise.example.ac.jp',
    PORT: 3000,
  };
  const config = { get: (key: keyof EnvironmentVariables) => env[key] } as unknown as ConfigService<
    EnvironmentVariables,
    true
  >;
  const sender = new NoticeSender(dataSource, auditLog, clock, config);
  // MAILS services get a contact each; their "updated" notices (due now) become MAILS mails.
  await client.query(
    `INSERT INTO service_contacts (service_id, name, email, language)
     SELECT id, '山田 花子', id || '@example.ac.jp', 'ja' FROM services ORDER BY id LIMIT $1`,
    [MAILS],
  );
  const mails = await new NoticeDispatcher(dataSource, clock).dispatchDue(sender.messageIdDomain);
  if (mails.length !== MAILS) {
    throw new Error(`expected ${MAILS} mails, got ${mails.length}`);
  }
  // The bare loop sends what our path sends: the first mail's composed text, once per address.
  const bare = createTransport(`${smtpUrl}?pool=true`);
  const sample = { subject: '[Stepwise] UTAS: 予定が変更されました', text: 'x'.repeat(1200) };
  await bare.sendMail({ from: env.STEPWISE_MAIL_FROM, to: 'warm@example.ac.jp', ...sample }); // warm-up
  let started = performance.now();
  for (let index = 0; index < MAILS; index += 1) {
    await bare.sendMail({
      from: env.STEPWISE_MAIL_FROM,
      to: `bare-${index}@example.ac.jp`,
      messageId: `<bare-${index}@example.ac.jp>`,
      ...sample,
      attachments: [
        {
          filename: 'stepwise.ics',
          content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
          contentType: 'text/calendar',
        },
      ],
    });
  }
  const bareMs = performance.now() - started;
  bare.close();
  started = performance.now();
  for (const id of mails) {
    await sender.send(id);
  }
  const oursMs = performance.now() - started;
  sender.onApplicationShutdown();
  const rate = (ms: number) => MAILS / (ms / 1000);
  process.stdout.write(
    `Notices sending: ${MAILS} mails, one after another, to a local smtp-server over a pooled transport\n` +
      `  stepwise NoticeSender (read, compose ja + .ics, send, mark sent, audit): ${rate(oursMs).toFixed(0)} mails/s\n` +
      `  peer bare nodemailer loop: ${rate(bareMs).toFixed(0)} mails/s\n` +
      `  ratio ${(rate(oursMs) / rate(bareMs)).toFixed(2)}x (target >= 0.5)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
