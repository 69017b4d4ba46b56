import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_COLUMNS } from '@stepwise/audit/audit-csv';
import { AuditItem, createToken, parseCsv } from './audit-support';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

/** The CLI as an auditor runs it: a separate process with no database configured. */
const cliVerify = (file: string) =>
  spawnSync(process.execPath, ['dist/apps/cli/src/main.js', 'audit', 'verify', file], {
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
    timeout: 20000,
  });

describe('audit history: export and offline verification', () => {
  let sut: TestApi;
  let auditor: string;
  let dir: string;

  beforeAll(async () => {
    sut = await startTestApi();
    auditor = await sut.token('auditor');
    for (let i = 0; i < 12; i += 1) {
      const { id } = await createToken(sut, i % 3 === 0 ? `desk, "room ${i}"\nsecond line` : `writer-${i}`);
      if (i % 2 === 0) {
        await sut.http
          .delete(`/api/v1/tokens/${id}`)
          .set(...bearer(ADMIN_TOKEN))
          .expect(204);
      }
    }
    dir = mkdtempSync(join(tmpdir(), 'stepwise-audit-'));
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sut.close();
  });

  const exportAs = (format: string, query: Record<string, string> = {}) =>
    sut.http
      .get('/api/v1/audit/export')
      .query({ format, ...query })
      .set(...bearer(auditor))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      })
      .expect(200);

  it('exports NDJSON that the CLI verifies offline to the same head as /audit/verify', async () => {
    const res = await exportAs('ndjson');
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const text = res.body as string;
    const lines = text.trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line) as AuditItem);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    const file = join(dir, 'audit.ndjson');
    writeFileSync(file, text);
    const live = (
      await sut.http
        .get('/api/v1/audit/verify')
        .set(...bearer(auditor))
        .expect(200)
    ).body;
    expect(live).toMatchObject({ ok: true, headSeq: events.length });
    const cli = cliVerify(file);
    expect(cli.stdout.trim()).toBe(
      `ok, checked ${live.checked}, head seq ${live.headSeq}, head hash ${live.headHash}`,
    );
    expect(cli.status).toBe(0);
  });

  it('has the CLI name the first altered event in an export and exit 1', async () => {
    const lines = ((await exportAs('ndjson')).body as string).trimEnd().split('\n');
    const edited = JSON.parse(lines[6]) as AuditItem;
    lines[6] = JSON.stringify({ ...edited, actor: { ...edited.actor, name: 'someone else' } });
    const file = join(dir, 'tampered.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const cli = cliVerify(file);
    expect(cli.stdout).toContain('bad at seq 7');
    expect(cli.status).toBe(1);
  });

  it('exports only the events a filter selects', async () => {
    const lines = ((await exportAs('ndjson', { action: 'token.revoked' })).body as string)
      .trimEnd()
      .split('\n');
    const events = lines.map((line) => JSON.parse(line) as AuditItem);
    expect(events).toHaveLength(6);
    expect(events.every((event) => event.action === 'token.revoked')).toBe(true);
  });

  it('exports CSV that parses back to the same events', async () => {
    const ndjson = ((await exportAs('ndjson')).body as string).trimEnd().split('\n');
    const events = ndjson.map((line) => JSON.parse(line) as AuditItem);
    const res = await exportAs('csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...records] = parseCsv(res.body as string);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(records).toHaveLength(events.length);
    records.forEach((record, index) => {
      const row = Object.fromEntries(header.map((column, i) => [column, record[i]]));
      const event = events[index];
      expect(row).toEqual({
        seq: String(event.seq),
        occurredAt: event.occurredAt,
        'actor.id': event.actor.id,
        'actor.name': event.actor.name,
        'actor.role': event.actor.role,
        action: event.action,
        resourceType: event.resourceType,
        resourceId: event.resourceId,
        before: event.before === null ? '' : JSON.stringify(event.before),
        after: event.after === null ? '' : JSON.stringify(event.after),
        reason: event.reason ?? '',
        requestId: event.requestId ?? '',
        outcome: event.outcome,
        prevHash: event.prevHash,
        hash: event.hash,
      });
    });
    // The round trip went through quoting: names with commas and quotes sit in doubled quotes.
    expect(res.body as string).toContain('\\""room 0\\""');
  });

  it('refuses an unknown format with 400 naming format', async () => {
    const res = await sut.http
      .get('/api/v1/audit/export')
      .query({ format: 'xml' })
      .set(...bearer(auditor))
      .expect(400);
    expect(res.body.message).toContain('format');
  });
});
