import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IDEMPOTENCY_KEY_LIFETIME_MS, IdempotencyKeys } from '@stepwise/idempotency/idempotency-keys';
import { KeptAnswerSeal } from '@stepwise/idempotency/kept-answer-seal';
import { SecretBox } from '@stepwise/connectors/secret-box';
import { aService } from './planning-support';
import { ADMIN_TOKEN, bearer, startTestApi, TestApi } from './support/test-api';

describe('Idempotency-Key on POST: a retry gets the first answer and changes nothing', () => {
  let sut: TestApi;
  const admin = bearer(ADMIN_TOKEN);

  beforeAll(async () => {
    sut = await startTestApi({ STEPWISE_WEBHOOK_ALLOWLIST: '127.0.0.1/32' });
  });

  afterAll(async () => {
    await sut.close();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const [row] = await sut.db.query<{ n: string }>(sql, params);
    return Number(row.n);
  };
  const tokensNamed = (name: string) => count('SELECT count(*) AS n FROM api_tokens WHERE name = $1', [name]);
  const createdEvents = () => count(`SELECT count(*) AS n FROM audit_events WHERE action = 'token.created'`);
  const createToken = (name: string, key?: string) => {
    const request = sut.http.post('/api/v1/tokens').set(...admin);
    return (key === undefined ? request : request.set('idempotency-key', key)).send({
      name,
      role: 'auditor',
    });
  };

  /** The row as PostgreSQL prints it, every column included. */
  const keptRow = async (key: string): Promise<string> => {
    const rows = await sut.db.query<{ row: string }>(
      'SELECT k::text AS row FROM idempotency_keys k WHERE key = $1',
      [key],
    );
    expect(rows).toHaveLength(1);
    return rows[0].row;
  };

  it('answers a retry with the first answer, creating one token and one audit event', async () => {
    const eventsBefore = await createdEvents();
    const first = await createToken('retried', 'key-1').expect(201);
    const again = await createToken('retried', 'key-1').expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await tokensNamed('retried')).toBe(1);
    expect(await createdEvents()).toBe(eventsBefore + 1);
  });

  it('makes the change once when the same request races itself', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => createToken('raced', 'key-race')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    expect(await tokensNamed('raced')).toBe(1);
    // Once the first has answered, a retry gets its answer.
    const created = answers.find((a) => a.status === 201 && !a.headers['idempotent-replayed']);
    expect((await createToken('raced', 'key-race').expect(201)).body).toEqual(created?.body);
  });

  it('keeps a new token only sealed, and a retry still gets it', async () => {
    const first = await createToken('sealed-token', 'tok-1').expect(201);
    const token: string = first.body.token;
    expect(token).toMatch(/^sw_/);
    expect(await keptRow('tok-1')).not.toContain(token.slice('sw_'.length));
    const [kept] = await sut.db.query<{ sealed: string }>(
      `SELECT response->>'sealed' AS sealed FROM idempotency_keys WHERE key = 'tok-1'`,
    );
    expect(kept.sealed).toMatch(/^v1\./);
    const again = await createToken('sealed-token', 'tok-1').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.body.token).toBe(token);
    expect(await tokensNamed('sealed-token')).toBe(1);
  });

  it.each([
    ['generated', {}],
    ['caller-given', { secret: `whsec_${randomBytes(32).toString('base64')}` }],
  ])(
    "keeps a new webhook service's %s secret only sealed, and a retry still gets it",
    async (kind, given) => {
      const id = `svc-hook-${kind}`;
      const createService = () =>
        sut.http
          .post('/api/v1/services')
          .set(...admin)
          .set('idempotency-key', `key-${id}`)
          .send(aService(id, { connector: { type: 'webhook', url: 'http://127.0.0.1:9/hook', ...given } }));
      const first = await createService().expect(201);
      const secret: string = first.body.connector.secret;
      expect(secret).toMatch(/^whsec_./);
      // Neither the answer nor the request (kept only as a hash) shows the secret.
      expect(await keptRow(`key-${id}`)).not.toContain(secret.slice('whsec_'.length));
      const again = await createService().expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.body).toEqual(first.body);
      expect(await count('SELECT count(*) AS n FROM services WHERE id = $1', [id])).toBe(1);
    },
  );

  it('answers 409 naming the problem, and makes no change, when the kept answer cannot be opened', async () => {
    const first = await createToken('rekeyed', 'key-rekeyed').expect(201);
    const eventsBefore = await createdEvents();
    // As if STEPWISE_SECRET_KEY had changed since the answer was kept.
    const [{ principal_id: principalId }] = await sut.db.query<{ principal_id: string }>(
      `SELECT principal_id FROM idempotency_keys WHERE key = 'key-rekeyed'`,
    );
    const rekeyed = new KeptAnswerSeal(new SecretBox('another-secret-key-0123456789-abcdefghij'));
    const sealed = rekeyed.seal({ principalId, key: 'key-rekeyed' }, { body: first.body, headers: {} });
    await sut.db.query(`UPDATE idempotency_keys SET response = $1::jsonb WHERE key = 'key-rekeyed'`, [
      JSON.stringify(sealed),
    ]);
    const refused = await createToken('rekeyed', 'key-rekeyed').expect(409);
    expect(refused.body.message).toContain('key-rekeyed');
    expect(refused.body.message).toContain('cannot be opened');
    expect(await tokensNamed('rekeyed')).toBe(1);
    expect(await createdEvents()).toBe(eventsBefore);
  });

  it('replays an answer kept in clear before answers were sealed', async () => {
    const first = await createToken('kept-in-clear', 'key-clear').expect(201);
    await sut.db.query(`UPDATE idempotency_keys SET response = $1::jsonb WHERE key = 'key-clear'`, [
      JSON.stringify({ body: first.body, headers: {} }),
    ]);
    const again = await createToken('kept-in-clear', 'key-clear').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await tokensNamed('kept-in-clear')).toBe(1);
  });

  it('refuses the key with another request (422), changing nothing', async () => {
    await createToken('first-use', 'key-2').expect(201);
    const reused = await createToken('second-use', 'key-2').expect(422);
    expect(reused.body.message).toContain('key-2');
    expect(await tokensNamed('second-use')).toBe(0);
  });

  it('keeps keys apart per token', async () => {
    const other = await sut.token('admin');
    await createToken('mine', 'shared-key').expect(201);
    await sut.http
      .post('/api/v1/tokens')
      .set(...bearer(other))
      .set('idempotency-key', 'shared-key')
      .send({ name: 'theirs', role: 'auditor' })
      .expect(201);
    expect(await tokensNamed('theirs')).toBe(1);
  });

  it('does not keep a refused request, so the corrected one can use the key', async () => {
    await sut.http
      .post('/api/v1/tokens')
      .set(...admin)
      .set('idempotency-key', 'key-3')
      .send({ name: 'bad', role: 'service-owner' })
      .expect(400);
    await createToken('corrected', 'key-3').expect(201);
    expect(await tokensNamed('corrected')).toBe(1);
  });

  it('answers 400 naming the header for a malformed key', async () => {
    const res = await createToken('malformed', 'has space').expect(400);
    expect(res.body.message).toContain('Idempotency-Key');
    expect(await tokensNamed('malformed')).toBe(0);
  });

  it('still creates twice without a key', async () => {
    await createToken('no-key').expect(201);
    await createToken('no-key').expect(201);
    expect(await tokensNamed('no-key')).toBe(2);
  });

  it('replays a plan import (several transactions in one request) and changes nothing the second time', async () => {
    const importServices = () =>
      sut.http
        .post('/api/v1/plans/import')
        .set(...admin)
        .set('idempotency-key', 'import-1')
        .set('content-type', 'application/yaml')
        .send(readFileSync('config/services/utokyo.yaml', 'utf8'));
    const first = await importServices().expect(200);
    expect(first.body.created.length).toBeGreaterThan(0);
    const events = await count('SELECT count(*) AS n FROM audit_events');
    const again = await importServices().expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count('SELECT count(*) AS n FROM audit_events')).toBe(events);
  });

  it('forgets keys older than a day (the worker sweep prunes them), so an old key makes its change anew', async () => {
    await createToken('aged', 'key-old').expect(201);
    await createToken('recent', 'key-new').expect(201);
    await sut.db.query(
      `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'key-old'`,
    );
    const removed = await sut.app
      .get(IdempotencyKeys, { strict: false })
      .pruneClaimedBefore(new Date(Date.now() - IDEMPOTENCY_KEY_LIFETIME_MS));
    expect(removed).toBe(1);
    expect((await createToken('recent', 'key-new').expect(201)).headers['idempotent-replayed']).toBe('true');
    const renewed = await createToken('aged', 'key-old').expect(201);
    expect(renewed.headers['idempotent-replayed']).toBeUndefined();
    expect(await tokensNamed('aged')).toBe(2);
  });

  it('documents the header on every POST of the OpenAPI document', async () => {
    const doc = (await sut.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, { post?: { parameters?: { name: string; in: string }[] } }>;
    };
    const posts = Object.values(doc.paths).filter((item) => item.post);
    expect(posts.length).toBeGreaterThan(5);
    for (const item of posts) {
      expect(item.post?.parameters).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
      );
    }
  });
});
