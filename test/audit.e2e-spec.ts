import { Socket } from 'node:net';
import { Client } from 'pg';
import { AuditEventInput, AuditLog } from '@stepwise/audit/audit-log';
import { auditEventHash } from '@stepwise/audit/audit-hash';
import { GROUPS_IN_FLIGHT } from '@stepwise/audit/audit-group-commit';
import { CopyAppender } from '@stepwise/audit/audit-copy-append';
import { CopyReadyAuditEvent } from '@stepwise/audit/copy-ready-audit-event';
import { PIPELINE_APPLICATION_NAME } from '@stepwise/audit/pipeline-connection';
import { DataSource } from 'typeorm';
import { systemActor } from '@stepwise/common/principal';
import { AuditItem, eventCount } from './audit-support';
import { waitFor } from './enforcement-fixtures';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

describe('audit history: recording and verification', () => {
  let sut: TestApi;
  let auditor: string;

  beforeAll(async () => {
    sut = await startTestApi();
    auditor = await sut.token('auditor');
  });

  afterAll(async () => {
    await sut.close();
  });

  const verify = async () =>
    (
      await sut.http
        .get('/api/v1/audit/verify')
        .set(...bearer(auditor))
        .expect(200)
    ).body;
  const tokenCount = async () =>
    Number((await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM api_tokens'))[0].n);

  it('records a created token as exactly one event carrying every field, chained to the one before', async () => {
    const res = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .set('x-request-id', 'req-audit-1')
      .send({ name: 'change desk', role: 'planner' })
      .expect(201);
    const page = await sut.http
      .get('/api/v1/audit')
      .query({ resourceType: 'token', resourceId: res.body.id })
      .set(...bearer(auditor))
      .expect(200);
    expect(page.body.items).toHaveLength(1);
    const event = page.body.items[0] as AuditItem;
    expect(event).toEqual({
      seq: expect.any(Number),
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      actor: { id: 'bootstrap-admin', name: 'STEPWISE_ADMIN_TOKEN', role: 'admin' },
      action: 'token.created',
      resourceType: 'token',
      resourceId: res.body.id,
      before: null,
      after: { id: res.body.id, name: 'change desk', role: 'planner', services: null, revokedAt: null },
      reason: null,
      requestId: 'req-audit-1',
      outcome: 'success',
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const { hash, ...fields } = event;
    expect(auditEventHash(fields)).toBe(hash);
    const [previous] = await sut.db.query<{ hash: string }>('SELECT hash FROM audit_events WHERE seq = $1', [
      event.seq - 1,
    ]);
    expect(event.prevHash).toBe(previous.hash);
    expect(JSON.stringify(event)).not.toContain(res.body.token);
  });

  it('stores no change event for a refused request: validation 400, role 403, unknown 404', async () => {
    const tokens = await tokenCount();
    const changes = () => eventCount(sut, "action <> 'auth.denied'");
    const before = await changes();
    const denied = await eventCount(sut, "action = 'auth.denied'");
    await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .send({ name: 'x', role: 'wizard' })
      .expect(400);
    await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(auditor))
      .send({ name: 'x', role: 'admin' })
      .expect(403);
    await sut.http
      .delete('/api/v1/tokens/6b0b9c37-9a3a-4f57-9a35-0c2b6f5e3f1e')
      .set(...bearer(ADMIN_TOKEN))
      .expect(404);
    expect(await changes()).toBe(before);
    expect(await tokenCount()).toBe(tokens);
    // Only the refusal is recorded, so probing stays visible.
    expect(await eventCount(sut, "action = 'auth.denied'")).toBe(denied + 1);
  });

  it('keeps one gap-free chain under 50 concurrent changes and 50 concurrent refusals', async () => {
    const planner = await sut.token('planner');
    const results = await Promise.all([
      ...Array.from({ length: 50 }, (_, i) =>
        sut.http
          .post('/api/v1/tokens')
          .set(...bearer(ADMIN_TOKEN))
          .send({ name: `parallel-${i}`, role: 'auditor' }),
      ),
      ...Array.from({ length: 50 }, () => sut.http.get('/api/v1/audit/verify').set(...bearer(planner))),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([...Array(50).fill(201), ...Array(50).fill(403)]);
    const seqs = (await sut.db.query<{ seq: string }>('SELECT seq FROM audit_events ORDER BY seq')).map((r) =>
      Number(r.seq),
    );
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    expect(await verify()).toEqual({
      ok: true,
      checked: seqs.length,
      headSeq: seqs.length,
      headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  describe('standalone appends (group commit)', () => {
    const context = { actor: systemActor('worker'), requestId: null };
    const probe = (i: number, after: unknown = { probe: i }) => ({
      action: 'auth.denied' as const,
      resourceType: 'route',
      resourceId: `probe-${i}`,
      after,
      outcome: 'denied' as const,
    });

    it('shares commits between concurrent callers and keeps the chain whole', async () => {
      const log = sut.app.get(AuditLog);
      const before = await eventCount(sut);
      await Promise.all(Array.from({ length: 20 }, (_, i) => log.record(context, probe(100 + i))));
      const [{ commits }] = await sut.db.query<{ commits: string }>(
        "SELECT count(DISTINCT xmin::text) AS commits FROM audit_events WHERE resource_id LIKE 'probe-1__'",
      );
      expect(await eventCount(sut)).toBe(before + 20);
      // All 20 are submitted in one turn: they go as two pipelined groups of 10, one transaction
      // each (rows of one transaction share its xmin).
      expect(Number(commits)).toBe(GROUPS_IN_FLIGHT);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('places a group again when another writer appended after the end it was hashed for', async () => {
      const log = sut.app.get(AuditLog);
      const before = await eventCount(sut);
      await log.record(context, probe(7000)); // the next group is expected right after this one
      // A change audited in its own transaction (another connection) moves the chain on meanwhile.
      await log.change(context, async ({ audit }) => audit(probe(7001)));
      // Both were hashed for the end after probe-7000: the first collides with probe-7001's seq,
      // the second was sent behind it; each is placed again under the head row's lock.
      await Promise.all([log.record(context, probe(7002)), log.record(context, probe(7003))]);
      expect(await eventCount(sut)).toBe(before + 4);
      const placed = await sut.db.query<{ resource_id: string; seq: string }>(
        "SELECT resource_id, seq::text FROM audit_events WHERE resource_id LIKE 'probe-700_' ORDER BY seq",
      );
      expect(placed.slice(0, 2).map((row) => row.resource_id)).toEqual(['probe-7000', 'probe-7001']);
      expect(
        placed
          .slice(2)
          .map((row) => row.resource_id)
          .sort(),
      ).toEqual(['probe-7002', 'probe-7003']);
      const seqs = placed.map((row) => Number(row.seq));
      expect(seqs).toEqual([seqs[0], seqs[0] + 1, seqs[0] + 2, seqs[0] + 3]);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('closes its own two connections after a quiet spell, and opens them again when needed', async () => {
      // The application's appender closes its pipeline, so that the count below is this one's.
      await sut.app.get(AuditLog).onApplicationShutdown();
      // Idle long enough that the counts below, slow on a loaded machine, never race the close.
      const appender = new CopyAppender(sut.app.get(DataSource), 2_000);
      const event = (i: number) =>
        new CopyReadyAuditEvent({
          actor: { id: 'system:worker', name: 'worker', role: 'worker' },
          action: 'auth.denied',
          resourceType: 'route',
          resourceId: `probe-${i}`,
          before: null,
          after: { probe: i },
          reason: null,
          requestId: null,
          outcome: 'denied',
        });
      const open = async () =>
        Number(
          (
            await sut.db.query<{ n: string }>(
              'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
              [PIPELINE_APPLICATION_NAME],
            )
          )[0].n,
        );
      const before = await eventCount(sut);
      await appender.append([event(8000)]); // under the lock: where the chain ends is not known yet
      expect(await open()).toBe(0);
      await appender.append([event(8001)]); // pipelined
      expect(await open()).toBe(2);
      await waitFor('pipeline connections closed', async () => (await open()) === 0, 15_000, 50);
      await appender.append([event(8002)]);
      await appender.append([event(8003)]);
      expect(await open()).toBe(2);
      await appender.close();
      await waitFor('pipeline connections closed', async () => (await open()) === 0, 15_000, 50);
      expect(await eventCount(sut)).toBe(before + 4);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('keeps one gap-free chain under 600 concurrent appends interleaved with audited changes', async () => {
      const log = sut.app.get(AuditLog);
      const outcomes = await Promise.all([
        ...Array.from({ length: 600 }, (_, i) => log.record(context, probe(1000 + i))),
        ...Array.from({ length: 20 }, (_, i) =>
          log.change(context, async ({ audit }) => audit(probe(3000 + i, { change: i }))),
        ),
      ]);
      expect(outcomes).toHaveLength(620);
      const seqs = (await sut.db.query<{ seq: string }>('SELECT seq FROM audit_events ORDER BY seq')).map(
        (row) => Number(row.seq),
      );
      expect(seqs).toEqual(seqs.map((_, index) => index + 1));
      expect(await eventCount(sut, "resource_id ~ '^probe-1[0-9]{3}$'")).toBe(600);
      expect(await verify()).toEqual({
        ok: true,
        checked: seqs.length,
        headSeq: seqs.length,
        headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    const awkward = 'tab\tand\nnew line\r\\N back\\slash "quoted" ünïcødé 😀 \u2028';
    const awkwardContext = { actor: { ...systemActor('worker'), name: awkward }, requestId: awkward };
    /** The event as the API gives it back: each value as given, its hash right. */
    const expectStoredAsGiven = async (event: AuditEventInput) => {
      const page = await sut.http
        .get('/api/v1/audit')
        .query({ resourceType: 'route', resourceId: event.resourceId })
        .set(...bearer(auditor))
        .expect(200);
      expect(page.body.items).toHaveLength(1);
      const stored = page.body.items[0] as AuditItem;
      expect(stored).toMatchObject({
        actor: { name: awkward },
        before: event.before ?? null,
        after: event.after,
        reason: event.reason ?? null,
        requestId: awkward,
      });
      const { hash, ...fields } = stored;
      expect(auditEventHash(fields)).toBe(hash);
    };

    it('stores text with tabs, newlines, backslashes and non-ASCII exactly as given, and it verifies', async () => {
      const event = {
        ...probe(4000, { note: awkward, nested: { list: [awkward, 1.5, null, true] } }),
        reason: awkward,
      };
      await sut.app.get(AuditLog).record(awkwardContext, event);
      await expectStoredAsGiven(event);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('fails only the caller whose event text cannot be stored (a lone surrogate), before any group', async () => {
      const log = sut.app.get(AuditLog);
      const before = await eventCount(sut);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          log.record(context, { ...probe(5000 + i), reason: i === 3 ? 'broken \ud800 pair' : null }),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(
        Array.from({ length: 10 }, (_, i) => (i === 3 ? 'rejected' : 'fulfilled')),
      );
      expect(await eventCount(sut)).toBe(before + 9);
      expect(await verify()).toMatchObject({ ok: true });
    });

    /**
     * Another writer takes the head row, so that the next group waits on it with its transaction
     * open; `waiting` gives that group's backend, `release` lets it go (once, however often called).
     */
    const holdHeadRow = async () => {
      const holder = new Client({ connectionString: sut.db.url });
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('UPDATE audit_head SET seq = seq WHERE id = 1');
      let released = false;
      return {
        waiting: async () => {
          let rows: { pid: number; client_port: number }[] = [];
          for (let attempt = 0; attempt < 100 && rows.length === 0; attempt += 1) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            rows = await sut.db.query<{ pid: number; client_port: number }>(
              "SELECT pid, client_port FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'BEGIN;%UPDATE audit_head%'",
            );
          }
          expect(rows).toHaveLength(1);
          return rows[0];
        },
        release: async () => {
          if (released) {
            return;
          }
          released = true;
          await holder.query('ROLLBACK');
          await holder.end();
        },
      };
    };

    it('retries a group whose connection is lost on fresh connections, storing each event once', async () => {
      const log = sut.app.get(AuditLog);
      const before = await eventCount(sut);
      const head = await holdHeadRow();
      let appends: Promise<void[]>;
      try {
        appends = Promise.all([log.record(context, probe(6000)), log.record(context, probe(6001))]);
        const { pid } = await head.waiting();
        await sut.db.query('SELECT pg_terminate_backend($1)', [pid]);
      } finally {
        await head.release();
      }
      await appends;
      await log.record(context, probe(6002));
      expect(await eventCount(sut)).toBe(before + 3);
      expect(await eventCount(sut, "resource_id IN ('probe-6000', 'probe-6001')")).toBe(2);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('stores a group once when only its answer is lost with the connection', async () => {
      const log = sut.app.get(AuditLog);
      const before = await eventCount(sut);
      const head = await holdHeadRow();
      let appends: Promise<void[]> | undefined;
      let paused: Socket | undefined;
      try {
        // The log knows where the chain ends (the test before ended with an append), so the group
        // goes pipelined and waits on the head row with its whole message at the server…
        appends = Promise.all([log.record(context, probe(6100)), log.record(context, probe(6101))]);
        const { client_port } = await head.waiting();
        // …our side stops reading its connection (found by its local port among Node's handles)…
        const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
        const sockets = handles.filter(
          (handle): handle is Socket => handle instanceof Socket && handle.localPort === client_port,
        );
        expect(sockets).toHaveLength(1);
        paused = sockets[0];
        paused.pause();
        await head.release();
        // …the group commits, and only then is the connection lost, its answer unread.
        await waitFor(
          'the group committed',
          async () => (await eventCount(sut, "resource_id IN ('probe-6100', 'probe-6101')")) === 2,
          5_000,
          20,
        );
      } finally {
        // Destroyed even when the test fails: a paused socket left in the pool would hang every
        // later append.
        paused?.destroy();
        await head.release();
      }
      await appends;
      await log.record(context, probe(6102));
      expect(await eventCount(sut, "resource_id IN ('probe-6100', 'probe-6101')")).toBe(2);
      expect(await eventCount(sut)).toBe(before + 3);
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('fails only the caller whose event the database refuses', async () => {
      const log = sut.app.get(AuditLog);
      const before = await eventCount(sut);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          log.record(context, probe(200 + i, i === 7 ? { note: 'nul \u0000 jsonb refuses' } : undefined)),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(
        Array.from({ length: 20 }, (_, i) => (i === 7 ? 'rejected' : 'fulfilled')),
      );
      expect(await eventCount(sut)).toBe(before + 19);
      expect(await eventCount(sut, "resource_id = 'probe-207'")).toBe(0);
      expect(await verify()).toMatchObject({ ok: true });
    });

    // Last in this block: a change appended through `run` moves the chain without the group
    // commit knowing, and the lost-connection tests above need it to know where the chain ends.
    it("stores a change's events (AuditLog.run) with awkward text exactly as given, and they verify", async () => {
      const events: AuditEventInput[] = [
        probe(4100, { note: awkward, nested: { list: [awkward, 1.5, null, true] } }),
        { ...probe(4101, null), before: { was: awkward }, reason: awkward },
      ];
      await sut.app.get(AuditLog).change(awkwardContext, async ({ audit }) => events.forEach(audit));
      for (const event of events) {
        await expectStoredAsGiven(event);
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('rolls a change back with its events when one of them cannot be stored, holding no lock after', async () => {
      const log = sut.app.get(AuditLog);
      await sut.db.query('CREATE TABLE IF NOT EXISTS run_probe (id text PRIMARY KEY)');
      const before = await eventCount(sut);
      await expect(
        log.change(context, async ({ manager, audit }) => {
          await manager.query("INSERT INTO run_probe VALUES ('changed')");
          audit(probe(4200));
          audit({ ...probe(4201), reason: 'broken \ud800 pair' });
        }),
      ).rejects.toThrow(/lone surrogate/);
      expect(await eventCount(sut)).toBe(before);
      expect(await sut.db.query('SELECT id FROM run_probe')).toEqual([]);
      await log.change(context, async ({ audit }) => audit(probe(4202)));
      expect(await eventCount(sut)).toBe(before + 1);
      expect(await verify()).toMatchObject({ ok: true });
    });
  });

  it.each([
    ['UPDATE', "UPDATE audit_events SET reason = 'rewritten' WHERE seq = 1"],
    ['DELETE', 'DELETE FROM audit_events WHERE seq = 1'],
    ['TRUNCATE', 'TRUNCATE audit_events'],
  ])('refuses %s on the audit table even to a superuser', async (_op, sql) => {
    const count = await eventCount(sut);
    await expect(sut.db.query(sql)).rejects.toThrow(/append-only/);
    expect(await eventCount(sut)).toBe(count);
  });

  it.each([
    ['DELETE', 'DELETE FROM audit_head'],
    ['TRUNCATE', 'TRUNCATE audit_head'],
  ])('refuses %s on the head row even to a superuser, and writes go on', async (_op, sql) => {
    await expect(sut.db.query(sql)).rejects.toThrow(/audit_head holds the chain's head/);
    await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .send({ name: 'after a refused removal', role: 'auditor' })
      .expect(201);
    expect(await verify()).toMatchObject({ ok: true });
  });

  describe('tampering behind the trigger (superuser)', () => {
    const behindTrigger = async (sql: string, params: unknown[] = []) => {
      await sut.db.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      try {
        await sut.db.query(sql, params);
      } finally {
        await sut.db.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
      }
    };
    const original = async (seq: number) =>
      (await sut.db.query<Record<string, unknown>>('SELECT * FROM audit_events WHERE seq = $1', [seq]))[0];
    const restore = (row: Record<string, unknown>) =>
      behindTrigger('UPDATE audit_events SET reason = $2, occurred_at = $3, after = $4 WHERE seq = $1', [
        row.seq,
        row.reason,
        row.occurred_at,
        JSON.stringify(row.after),
      ]);

    it.each([
      ['a changed reason', "UPDATE audit_events SET reason = 'nothing to see' WHERE seq = $1"],
      ['a changed snapshot', `UPDATE audit_events SET after = '{"role":"admin"}' WHERE seq = $1`],
      [
        'an instant moved by 300 microseconds',
        "UPDATE audit_events SET occurred_at = occurred_at + interval '300 microseconds' WHERE seq = $1",
      ],
    ])('reports %s at the edited seq', async (_label, sql) => {
      const seq = 5;
      const row = await original(seq);
      await behindTrigger(sql, [seq]);
      try {
        expect(await verify()).toMatchObject({ ok: false, firstBadSeq: seq, checked: seq - 1 });
      } finally {
        await restore(row);
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    const behindHeadTrigger = async (sql: string, params: unknown[] = []) => {
      await sut.db.query('ALTER TABLE audit_head DISABLE TRIGGER USER');
      try {
        await sut.db.query(sql, params);
      } finally {
        await sut.db.query('ALTER TABLE audit_head ENABLE TRIGGER USER');
      }
    };

    it('reports a missing head row as not ok, and ok again once it is put back', async () => {
      const [head] = await sut.db.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_head');
      const checked = (await verify()).checked as number;
      await behindHeadTrigger('DELETE FROM audit_head');
      try {
        expect(await verify()).toEqual({
          ok: false,
          firstBadSeq: Number(head.seq) + 1,
          checked,
          reason: expect.stringContaining('head row (audit_head) is missing'),
        });
      } finally {
        await sut.db.query('INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)', [
          head.seq,
          head.hash,
        ]);
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('reports a head row moved back behind the last event', async () => {
      const [head] = await sut.db.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_head');
      const earlier = Number(head.seq) - 1;
      const [{ hash }] = await sut.db.query<{ hash: string }>(
        'SELECT hash FROM audit_events WHERE seq = $1',
        [earlier],
      );
      await sut.db.query('UPDATE audit_head SET seq = $1, hash = $2', [earlier, hash]);
      try {
        expect(await verify()).toMatchObject({
          ok: false,
          firstBadSeq: earlier + 1,
          reason: `event ${earlier + 1} lies beyond the head row (at ${earlier})`,
        });
      } finally {
        await sut.db.query('UPDATE audit_head SET seq = $1, hash = $2', [head.seq, head.hash]);
      }
      expect(await verify()).toMatchObject({ ok: true });
    });

    it('reports a deleted event at its seq', async () => {
      const row = await original(3);
      await behindTrigger('DELETE FROM audit_events WHERE seq = 3');
      expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
      await behindTrigger(
        'INSERT INTO audit_events SELECT * FROM json_populate_record(null::audit_events, $1)',
        [JSON.stringify(row)],
      );
      expect(await verify()).toMatchObject({ ok: true });
    });
  });

  it('answers only auditors and admins', async () => {
    await sut.db.query("INSERT INTO services (id, name, connector_type) VALUES ('utas', 'UTAS', 'pull')");
    await sut.http.get('/api/v1/audit').expect(401);
    for (const role of ['planner', 'service-owner', 'connector']) {
      const token = await sut.token(role, role === 'planner' ? undefined : ['utas']);
      for (const path of ['/api/v1/audit', '/api/v1/audit/verify', '/api/v1/audit/export']) {
        await sut.http
          .get(path)
          .set(...bearer(token))
          .expect(403);
      }
    }
    await sut.http
      .get('/api/v1/audit')
      .set(...bearer(ADMIN_TOKEN))
      .expect(200);
    await sut.http
      .get('/api/v1/audit/verify')
      .set(...bearer(auditor))
      .expect(200);
  });

  it('documents the audit routes in the OpenAPI document', async () => {
    const doc = await sut.http.get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/audit', '/api/v1/audit/verify', '/api/v1/audit/export']),
    );
    expect(doc.body.components.schemas.AuditEventDto.properties.prevHash.description).toEqual(
      expect.any(String),
    );
  });
});
