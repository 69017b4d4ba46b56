import { DateTime } from 'luxon';
import { startWorkerProcess, waitFor } from './enforcement-fixtures';
import { admin, aPhase, aRevision } from './planning-support';
import { TestSmtpServer } from './notice-mail-support';
import { startProcess, type RunningProcess } from './support/processes';
import { bearer, startTestApi, TestApi } from './support/test-api';

// The worker's notices over a real SMTP server, with the real clock: a phase published 3 days
// ahead (inside the 7-day lead) is announced at once. Without STEPWISE_SMTP_URL the worker keeps
// the notices in the outbox and says so; a worker killed with SIGKILL in the middle of the batch
// and restarted sends every mail, none twice with two Message-IDs.

const SERVICES = Array.from({ length: 120 }, (_, index) => `n-${String(index + 1).padStart(3, '0')}`);
const address = (service: string) => `owner-${service}@example.ac.jp`;

describe('notices sent by the worker', () => {
  let sut: TestApi;
  const smtp = new TestSmtpServer(() => new Date().toISOString());
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    // Slow enough that the kill lands in the middle of the batch.
    smtp.acceptDelayMs = 25;
    await smtp.start();
    sut = await startTestApi({ STEPWISE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
    const values = SERVICES.map((_, index) => `($${index + 1}, $${index + 1}, 'pull')`).join(', ');
    await sut.db.query(`INSERT INTO services (id, name, connector_type) VALUES ${values}`, SERVICES);
    const contacts = SERVICES.map(
      (_, index) => `($${index + 1}, 'Owner', 'owner-' || $${index + 1} || '@example.ac.jp', 'en')`,
    );
    await sut.db.query(
      `INSERT INTO service_contacts (service_id, name, email, language) VALUES ${contacts.join(', ')}`,
      SERVICES,
    );
  });

  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGKILL');
    }
    await smtp.stop();
    await sut.close();
  });

  it('keeps notices in the outbox with a clear log line while SMTP is not configured', async () => {
    const worker = startProcess('dist/apps/worker/src/main.js', { LOG_LEVEL: 'info', STEPWISE_SMTP_URL: '' });
    workers.push(worker);
    await worker.waitFor('stepwise-worker ready');
    expect(worker.output()).toContain(
      'STEPWISE_SMTP_URL is not set: notices are planned and kept in the outbox',
    );
    await sut.http
      .post('/api/v1/policies')
      .set(...admin)
      .send({ id: 'mfa', title: 'MFA', timezone: 'Asia/Tokyo', requireApproval: false })
      .expect(201);
    const planner = bearer(await sut.token('planner'));
    const at = DateTime.now().setZone('Asia/Tokyo').plus({ days: 3 }).toISODate() ?? '';
    const body = aRevision({
      phases: [aPhase({ effective: { at }, scope: { services: SERVICES } })],
      standingRules: [],
      mandatory: undefined,
    });
    const draft = await sut.http
      .post('/api/v1/policies/mfa/revisions')
      .set(...planner)
      .send(body)
      .expect(201);
    await sut.http
      .post(`/api/v1/policies/mfa/revisions/${draft.body.number}/publish`)
      .set(...planner)
      .expect(200);
    await waitFor('notices planned', async () => {
      const [row] = await sut.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM notices WHERE due_at <= now()`,
      );
      return Number(row.n) === SERVICES.length;
    });
    await worker.waitFor(/STEPWISE_SMTP_URL is not set: 120 due notices are kept in the outbox/, 90_000);
    expect(smtp.received).toEqual([]);
    worker.child.kill('SIGTERM');
    await worker.exited();
  }, 180_000);

  it('sends each mail once (one Message-ID) across a SIGKILL mid-batch and a restart', async () => {
    const first = await startWorkerProcess(workers);
    await waitFor('a part of the batch sent', async () => smtp.received.length >= 30, 90_000, 5).catch(
      (error) => {
        throw new Error(`${String(error)}\n${first.output().slice(-3000)}`);
      },
    );
    first.child.kill('SIGKILL');
    await first.exited();
    const atKill = smtp.received.length;
    expect(atKill).toBeLessThan(SERVICES.length);
    await startWorkerProcess(workers);
    await waitFor(
      'every mail sent',
      async () => {
        const [row] = await sut.db.query<{ n: string }>(
          `SELECT count(*) AS n FROM notice_mails WHERE status = 'sent'`,
        );
        return Number(row.n) === SERVICES.length;
      },
      120_000,
    );
    const idsByAddress = new Map<string, Set<string>>();
    for (const { mail } of smtp.received) {
      const to = JSON.stringify(mail.to);
      const service = SERVICES.find((id) => to.includes(address(id)));
      expect(service).toBeDefined();
      const ids = idsByAddress.get(service ?? '') ?? new Set<string>();
      ids.add(mail.messageId ?? '');
      idsByAddress.set(service ?? '', ids);
    }
    // Every address reached, each with one Message-ID: a mail repeated after the kill (accepted by
    // the server, not yet marked sent) carries the same id, and mail clients show it once.
    expect(idsByAddress.size).toBe(SERVICES.length);
    expect([...idsByAddress.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    const repeated = smtp.received.length - SERVICES.length;
    expect(repeated).toBeLessThanOrEqual(4);
    const [sent] = await sut.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'notice.sent'`,
    );
    expect(Number(sent.n)).toBe(SERVICES.length);
  }, 300_000);
});
