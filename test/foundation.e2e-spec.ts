import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { freePort, RunningProcess, startProcess } from './support/processes';
import { clearRedisPrefix } from './support/redis-keys';
import { ADMIN_TOKEN, bearer, isolatedEnvironment, startTestApi, TestApi } from './support/test-api';
import type { TestDatabase } from './support/test-database';

describe('API foundation', () => {
  let sut: TestApi;

  beforeAll(async () => {
    sut = await startTestApi();
  });

  afterAll(async () => {
    await sut.close();
  });

  const auditCount = async (action?: string): Promise<number> => {
    const [row] = await sut.db.query<{ n: string }>(
      action
        ? 'SELECT count(*) AS n FROM audit_events WHERE action = $1'
        : 'SELECT count(*) AS n FROM audit_events',
      action ? [action] : [],
    );
    return Number(row.n);
  };

  it('answers liveness and readiness with both dependencies up', async () => {
    await sut.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await sut.http.get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('refuses a request without a token with 401 in the error shape', async () => {
    const res = await sut.http.post('/api/v1/tokens').send({ name: 'x', role: 'auditor' }).expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.any(String),
      code: 'UNAUTHENTICATED',
    });
  });

  it("speaks one error language: a code on every refusal, the API's own words for fields", async () => {
    const auditor = await sut.token('auditor');
    const role = await sut.http
      .get('/api/v1/rollout')
      .set(...bearer(auditor.slice(0, -1)))
      .expect(401);
    expect(role.body.code).toBe('UNAUTHENTICATED');
    const refused = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(auditor))
      .send({})
      .expect(403);
    expect(refused.body).toMatchObject({
      code: 'FORBIDDEN',
      message: "role 'auditor' may not call this route",
    });
    const bad = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .send({ role: 'auditor', from: 'x' })
      .expect(400);
    expect(bad.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: expect.arrayContaining([
        { field: 'name', message: 'is required' },
        { field: 'from', message: 'is not a known field' },
      ]),
    });
    const unknownRoute = await sut.http
      .get('/api/v1/no-such-route')
      .set(...bearer(ADMIN_TOKEN))
      .expect(404);
    expect(unknownRoute.body.code).toBe('NOT_FOUND');
    const malformed = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .set('content-type', 'application/json')
      .send('{"name":')
      .expect(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses an unknown token with 401', async () => {
    await sut.http
      .delete('/api/v1/tokens/6b0b9c37-9a3a-4f57-9a35-0c2b6f5e3f1e')
      .set(...bearer('sw_nope'))
      .expect(401);
  });

  it('challenges with WWW-Authenticate on 401, and reads the Bearer scheme in any case', async () => {
    const refused = await sut.http.get('/api/v1/policies').expect(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="stepwise"');
    for (const scheme of ['bearer', 'BEARER']) {
      await sut.http.get('/api/v1/policies').set('authorization', `${scheme} ${ADMIN_TOKEN}`).expect(200);
    }
  });
  it('creates a token shown once, stored only as a hash, and audited once with every field', async () => {
    const before = await auditCount();
    const res = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .set('x-request-id', 'req-token-create-1')
      .send({ name: 'audit desk', role: 'auditor' })
      .expect(201);
    expect(res.body).toEqual({ id: expect.any(String), token: expect.stringMatching(/^sw_/) });
    const stored = await sut.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM api_tokens WHERE id = $1',
      [res.body.id],
    );
    expect(stored[0].token_hash).not.toContain(res.body.token);
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await auditCount()).toBe(before + 1);
    const [event] = await sut.db.query<Record<string, unknown>>(
      `SELECT * FROM audit_events WHERE action = 'token.created' AND resource_id = $1`,
      [res.body.id],
    );
    expect(event).toMatchObject({
      actor_id: 'bootstrap-admin',
      actor_role: 'admin',
      resource_type: 'token',
      request_id: 'req-token-create-1',
      outcome: 'success',
      after: { id: res.body.id, name: 'audit desk', role: 'auditor', services: null, revokedAt: null },
    });
    expect(JSON.stringify(event)).not.toContain(res.body.token);
  });

  it('revokes a token at once, idempotently', async () => {
    const auditor = await sut.token('auditor');
    const { body } = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .send({ name: 'to revoke', role: 'planner' })
      .expect(201);
    await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(body.token))
      .send({ name: 'y', role: 'auditor' })
      .expect(403);
    await sut.http
      .delete(`/api/v1/tokens/${body.id}`)
      .set(...bearer(ADMIN_TOKEN))
      .expect(204);
    await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(body.token))
      .send({ name: 'y', role: 'auditor' })
      .expect(401);
    const revocations = await auditCount('token.revoked');
    await sut.http
      .delete(`/api/v1/tokens/${body.id}`)
      .set(...bearer(ADMIN_TOKEN))
      .expect(204);
    expect(await auditCount('token.revoked')).toBe(revocations);
    expect(auditor).toMatch(/^sw_/);
  });

  it('refuses a write by an auditor with 403, changes nothing and audits the refusal', async () => {
    const auditor = await sut.token('auditor');
    const tokens = await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM api_tokens');
    const denied = await auditCount('auth.denied');
    const res = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(auditor))
      .send({ name: 'x', role: 'admin' })
      .expect(403);
    expect(res.body.statusCode).toBe(403);
    expect(await sut.db.query('SELECT count(*) AS n FROM api_tokens')).toEqual(tokens);
    expect(await auditCount('auth.denied')).toBe(denied + 1);
  });

  it.each([
    [{ name: 'x', role: 'auditor', extra: 1 }, 'extra'],
    [{ name: 'x', role: 'wizard' }, 'role'],
    [{ role: 'auditor' }, 'name'],
    [{ name: 'x', role: 'connector' }, 'services'],
    [{ name: 'x', role: 'auditor', services: ['utas'] }, 'services'],
    [{ name: 'x', role: 'connector', services: ['no-such-service'] }, 'services[0]'],
  ])('refuses invalid body %j with 400 naming %s, storing nothing', async (body, field) => {
    const before = await auditCount();
    const res = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .send(body)
      .expect(400);
    expect(res.body.message).toContain(field);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(await auditCount()).toBe(before);
  });

  describe('token revocation across API instances', () => {
    it('reaches another instance at once, not when its token cache expires', async () => {
      const { startProcess, freePort } = await import('./support/processes');
      const { waitFor } = await import('./enforcement-fixtures');
      const port = await freePort();
      // A second instance on the same database and Redis, as a deployment runs several.
      const other = startProcess('dist/apps/api/src/main.js', { PORT: String(port), LOG_LEVEL: 'info' });
      try {
        await other.waitFor('Nest application successfully started');
        const created = await sut.http
          .post('/api/v1/tokens')
          .set(...bearer(ADMIN_TOKEN))
          .send({ name: 'revoked-elsewhere', role: 'auditor' })
          .expect(201);
        const askOther = async () =>
          (
            await fetch(`http://127.0.0.1:${port}/api/v1/policies`, {
              headers: { authorization: `Bearer ${created.body.token}` },
            })
          ).status;
        expect(await askOther()).toBe(200); // now cached there for 5 s
        await sut.http
          .delete(`/api/v1/tokens/${created.body.id}`)
          .set(...bearer(ADMIN_TOKEN))
          .expect(204);
        await waitFor('401 from the other instance', async () => (await askOther()) === 401, 1000, 20);
      } finally {
        other.child.kill('SIGTERM');
        await other.exited();
      }
    });
  });

  describe('connector tokens, scoped to one service', () => {
    const tokenCount = async (): Promise<number> =>
      Number((await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM api_tokens'))[0].n);

    beforeAll(async () => {
      for (const id of ['conn-a', 'conn-b']) {
        await sut.http
          .post('/api/v1/services')
          .set(...bearer(ADMIN_TOKEN))
          .send({ id, name: `Service ${id}`, mfaCapability: 'ready', connector: { type: 'pull' } })
          .expect(201);
      }
    });

    it.each([
      ['two services', ['conn-a', 'conn-b'], 2],
      ['no service', [], 0],
    ])(
      'refuses a connector token naming %s with 400 on services, storing and auditing nothing',
      async (_what, services, count) => {
        const tokens = await tokenCount();
        const before = await auditCount();
        const res = await sut.http
          .post('/api/v1/tokens')
          .set(...bearer(ADMIN_TOKEN))
          .send({ name: 'gateway', role: 'connector', services })
          .expect(400);
        expect(res.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          message: `services: role 'connector' needs exactly one service id, got ${count}`,
          fields: [{ field: 'services', message: expect.any(String) }],
        });
        expect(await tokenCount()).toBe(tokens);
        expect(await auditCount()).toBe(before);
      },
    );

    it('issues a connector token for one service, and a service-owner token for several', async () => {
      for (const body of [
        { name: 'gateway', role: 'connector', services: ['conn-a'] },
        { name: 'owners', role: 'service-owner', services: ['conn-a', 'conn-b'] },
      ]) {
        await sut.http
          .post('/api/v1/tokens')
          .set(...bearer(ADMIN_TOKEN))
          .send(body)
          .expect(201);
      }
    });
  });

  it('answers malformed JSON with 400 and a 3 MiB body with 413', async () => {
    const malformed = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const huge = JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024), role: 'auditor' });
    const tooLarge = await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .set('content-type', 'application/json')
      .send(huge)
      .expect(413);
    expect(tooLarge.body).toMatchObject({ statusCode: 413 });
  });

  it('refuses text that cannot be stored (a NUL, a lone surrogate) anywhere in a request with 400 naming it', async () => {
    const admin = bearer(ADMIN_TOKEN);
    const before = await auditCount();
    const nulName = await sut.http
      .post('/api/v1/services')
      .set(...admin)
      .send({ id: 'svc-nul', name: 'VPN\u0000', tags: ['vpn'] })
      .expect(400);
    expect(nulName.body.message).toBe(
      'name: holds a NUL or a lone surrogate, which cannot be stored as text',
    );
    const surrogateTag = await sut.http
      .post('/api/v1/services')
      .set(...admin)
      .set('content-type', 'application/json')
      // Written by hand: JSON.stringify would escape the lone surrogate the same way, but be explicit.
      .send('{"id":"svc-sur","name":"VPN","tags":["ok","\\ud800"]}')
      .expect(400);
    expect(surrogateTag.body.message).toMatch(/^tags\[1\]: /);
    const nulFilter = await sut.http
      .get('/api/v1/audit')
      .query({ action: 'token.created\u0000' })
      .set(...admin);
    expect(nulFilter.status).toBe(400);
    expect(nulFilter.body.message).toMatch(/^action: holds a NUL/);
    const nulExport = await sut.http
      .get('/api/v1/audit/export')
      .query({ actor: '\u0000' })
      .set(...admin);
    expect(nulExport.status).toBe(400);
    const nulKey = await sut.http
      .post('/api/v1/tokens')
      .set(...admin)
      .set('content-type', 'application/json')
      .send('{"name":"x","role":"auditor","\\u0000":1}')
      .expect(400);
    expect(nulKey.body.message).toContain('holds a NUL');
    expect(
      await sut.db.query('SELECT id FROM services WHERE id IN ($1, $2)', ['svc-nul', 'svc-sur']),
    ).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it.each([
    ['stray bytes', [0xff, 0xfe], 'byte 0xff'],
    ['an overlong "/"', [0xc0, 0xaf], 'byte 0xc0'],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 'byte 0xed'],
  ])(
    'refuses a body that is not UTF-8 (%s) with 400 naming it, storing nothing',
    async (_what, bad, named) => {
      const before = await auditCount();
      const prefix = '{"id":"svc-utf","name":"VPN ';
      const body = Buffer.concat([Buffer.from(prefix), Buffer.from(bad), Buffer.from('"}')]);
      const res = await sut.http
        .post('/api/v1/services')
        .set(...bearer(ADMIN_TOKEN))
        .set('content-type', 'application/json')
        // As the bytes are: superagent would otherwise send a Buffer as JSON of its own.
        .serialize((bytes: Buffer) => bytes as unknown as string)
        .send(body)
        .expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: `body: is not valid UTF-8: ${named} at offset ${prefix.length}`,
      });
      expect(await sut.db.query("SELECT id FROM services WHERE id = 'svc-utf'")).toEqual([]);
      expect(await auditCount()).toBe(before);
    },
  );

  it('still refuses a poisoned prototype, and answers a form body 415 (this API reads JSON)', async () => {
    await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .set('content-type', 'application/json')
      .send('{"name":"x","role":"auditor","__proto__":{"role":"admin"}}')
      .expect(400);
    await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(ADMIN_TOKEN))
      .type('form')
      .send('name=x&role=auditor')
      .expect(415);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await sut.http
      .get('/api/v1/no-such-thing')
      .set(...bearer(ADMIN_TOKEN))
      .expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('returns the request id it logged, echoing a safe caller id and replacing an unsafe one', async () => {
    const echoed = await sut.http.get('/health/live').set('x-request-id', 'abc-123');
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const replaced = await sut.http.get('/health/live').set('x-request-id', 'bad id <script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sets the API security headers on JSON answers and helmet's whole set on the HTML pages", async () => {
    const json = await sut.http.get('/health/live');
    expect(json.headers['x-content-type-options']).toBe('nosniff');
    expect(json.headers['x-frame-options']).toBe('DENY');
    expect(json.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(json.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const page = await sut.http.get('/docs').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the OpenAPI document and the docs UI', async () => {
    const doc = await sut.http.get('/docs-json').expect(200);
    expect(doc.body.paths['/api/v1/tokens']).toBeDefined();
    const ui = await sut.http.get('/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });
});

describe('API start-up configuration', () => {
  it('exits non-zero naming DATABASE_URL when it is not a URL', () => {
    const result = spawnSync(process.execPath, ['dist/apps/api/src/main.js'], {
      env: { ...process.env, DATABASE_URL: 'not-a-url', PORT: '0' },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('DATABASE_URL');
  });
});

describe('API request logs', () => {
  it('writes structured JSON lines that carry the request id', async () => {
    const { startProcess, freePort } = await import('./support/processes');
    const { isolatedEnvironment } = await import('./support/test-api');
    const { clearRedisPrefix } = await import('./support/redis-keys');
    const { db, redisPrefix } = await isolatedEnvironment();
    const port = await freePort();
    const sut = startProcess('dist/apps/api/src/main.js', { PORT: String(port), LOG_LEVEL: 'info' });
    try {
      await sut.waitFor('Nest application successfully started');
      await fetch(`http://127.0.0.1:${port}/health/live`, { headers: { 'x-request-id': 'log-test-42' } });
      await sut.waitFor(/"reqId":"log-test-42"[^\n]*"request completed"/);
      const lines = sut
        .output()
        .split('\n')
        .filter((line) => line.includes('log-test-42'));
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) {
        expect(JSON.parse(line)).toMatchObject({ reqId: 'log-test-42', level: expect.any(Number) });
      }
    } finally {
      sut.child.kill('SIGTERM');
      await sut.exited();
      await clearRedisPrefix(redisPrefix);
      await db.drop();
    }
  });
});

describe('API process against stalled clients', () => {
  let db: TestDatabase;
  let redisPrefix: string;
  // Killed after each test, passed or not: a test that fails mid-way must not leave an API running.
  const running: RunningProcess[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    ({ db, redisPrefix } = await isolatedEnvironment());
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      socket.destroy();
    }
    for (const sut of running.splice(0)) {
      if (sut.child.exitCode === null) {
        sut.child.kill('SIGKILL');
      }
    }
  });

  afterAll(async () => {
    await clearRedisPrefix(redisPrefix);
    await db.drop();
  });

  const start = async (env: Record<string, string> = {}) => {
    const port = await freePort();
    const sut = startProcess('dist/apps/api/src/main.js', { PORT: String(port), LOG_LEVEL: 'info', ...env });
    running.push(sut);
    await sut.waitFor('Nest application successfully started');
    return { sut, port };
  };

  /** Headers and the start of a body that never comes: the request stays in flight. */
  const stalledRequest = async (
    port: number,
  ): Promise<{ received: () => string; closed: (timeoutMs: number) => Promise<void> }> => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"na',
    );
    return {
      received: () => received,
      closed: (timeoutMs) =>
        Promise.race([
          closed,
          new Promise<never>((_, reject) =>
            setTimeout(
              () => reject(new Error(`the server kept the stalled request over ${timeoutMs} ms`)),
              timeoutMs,
            ).unref(),
          ),
        ]),
    };
  };

  it('exits 0 on SIGTERM, and within its bound even while a client never finishes its request', async () => {
    const idle = await start();
    idle.sut.child.kill('SIGTERM');
    expect(await idle.sut.exited(10000)).toEqual({ code: 0, signal: null });

    const stuck = await start({ STEPWISE_SHUTDOWN_BOUND_MS: '1500' });
    await stalledRequest(stuck.port);
    await stuck.sut.waitFor('"url":"/api/v1/tokens"');
    stuck.sut.child.kill('SIGTERM');
    // Without the bound, the stalled request would keep the API running.
    expect(await stuck.sut.exited(15000)).toEqual({ code: 1, signal: null });
    expect(stuck.sut.output()).toContain('the API still closing after 1500 ms: exiting');
  });

  it('answers 408 to a client that does not send its whole request in time, and creates nothing', async () => {
    const api = await start({ STEPWISE_REQUEST_TIMEOUT_MS: '1000' });
    const client = await stalledRequest(api.port);
    await client.closed(10000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    const tokens = await db.query<{ n: string }>('SELECT count(*) AS n FROM api_tokens');
    expect(Number(tokens[0].n)).toBe(0);
  });
});
