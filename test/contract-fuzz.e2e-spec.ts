import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { Pool } from 'undici';
import { OpenApiContract } from './support/openapi-contract';
import { arbitraryFor } from './support/schema-arbitrary';
import { seedDemo } from './support/seed';
import { ADMIN_TOKEN, startTestApi, TestApi } from './support/test-api';

/**
 * An OpenAPI-driven fuzz: requests generated from the committed document's schemas, sent over
 * loopback to the real API, round robin over every operation and every caller (each role and no
 * token). Every answer must be documented and on its schema, none may be a 5xx, and a refused
 * request must change nothing: no write to any table, and none to the audit log but the refusal's
 * own `auth.denied`. Bounded: FUZZ_REQUESTS (default 10,000), seed FUZZ_SEED.
 */

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Json;
}
interface FuzzOperation {
  method: string;
  template: string;
  parameters: Parameter[];
  body?: Json;
}

const PATH_VALUES: Record<string, string[]> = {
  id: [
    'utas',
    'utokyo-vpn',
    'mfa-mandatory',
    'fuzz-service',
    'no-such-thing',
    'UPPER',
    'a',
    '-x',
    '%20',
    'x'.repeat(70),
  ],
  n: ['1', '2', '3', '0', '-1', '2147483648', 'abc', '1.5'],
};
PATH_VALUES.policyId = PATH_VALUES.id;
PATH_VALUES.number = PATH_VALUES.n;
const TOKEN_IDS = ['6b0b9c37-9a3a-4f57-9a35-0c2b6f5e3f1e', 'not-a-uuid', '0'];

describe('contract fuzz (OpenAPI-driven)', () => {
  const contract = OpenApiContract.fromFile();
  const components = ((contract.document.components as Json).schemas ?? {}) as Record<string, Json>;
  let sut: TestApi;
  let pool: Pool;
  let callers: [string, string | null][];
  let tables: string[];

  beforeAll(async () => {
    sut = await startTestApi();
    seedDemo(sut.db.url);
    await sut.app.listen(0, '127.0.0.1');
    const { port } = sut.app.getHttpServer().address() as AddressInfo;
    pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1 });
    callers = [
      ['admin', ADMIN_TOKEN],
      ['planner', await sut.token('planner')],
      ['auditor', await sut.token('auditor')],
      ['service-owner', await sut.token('service-owner', ['utas'])],
      ['connector', await sut.token('connector', ['utas'])],
      ['no token', null],
    ];
    const rows = await sut.db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
          AND table_name NOT IN ('migrations', 'audit_head')
        ORDER BY 1`,
    );
    tables = rows.map((r) => r.name);
    await watchWrites();
  });

  afterAll(async () => {
    await pool?.close();
    await sut?.close();
  });

  /**
   * Every write that commits, counted by triggers on every table (a statement-level one; on the
   * audit log a row-level one that leaves out refusals' own `auth.denied`, and none on the chain's
   * head, which every append moves): stricter than row counts (an UPDATE is a change too), and
   * one row to read per request.
   */
  const watchWrites = async (): Promise<void> => {
    await sut.db.query(`CREATE TABLE fuzz_writes (n bigint NOT NULL); INSERT INTO fuzz_writes VALUES (0);
      CREATE FUNCTION fuzz_count() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN UPDATE fuzz_writes SET n = n + 1; RETURN NULL; END $$;`);
    for (const table of tables) {
      await sut.db.query(
        table === 'audit_events'
          ? `CREATE TRIGGER fuzz_watch AFTER INSERT ON audit_events FOR EACH ROW
               WHEN (NEW.action <> 'auth.denied') EXECUTE FUNCTION fuzz_count()`
          : `CREATE TRIGGER fuzz_watch AFTER INSERT OR UPDATE OR DELETE ON "${table}"
               FOR EACH STATEMENT EXECUTE FUNCTION fuzz_count()`,
      );
    }
  };

  const footprint = async (): Promise<string> => {
    const [row] = await sut.db.query<{ n: string }>('SELECT n FROM fuzz_writes');
    return row.n;
  };

  const operations = (): FuzzOperation[] =>
    Object.entries(contract.document.paths as Record<string, Json>)
      .filter(([template]) => template.startsWith('/api/v1/'))
      .flatMap(([template, item]) =>
        Object.entries(item as Record<string, Json>).map(([method, op]) => {
          const content = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
          return {
            method: method.toUpperCase(),
            template,
            parameters: (op.parameters ?? []) as Parameter[],
            body: content?.['application/json']?.schema as Json | undefined,
          };
        }),
      );

  /** One request of an operation, drawn from its documented parameters and body. */
  const requestOf = (op: FuzzOperation): fc.Arbitrary<{ path: string; headers: Json; body?: string }> => {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const query = op.parameters.filter((p) => p.in === 'query');
    const values = (p: Parameter) =>
      op.template === '/api/v1/tokens/{id}' ? TOKEN_IDS : (PATH_VALUES[p.name] ?? ['x']);
    return fc
      .record({
        path: fc.tuple(...pathParams.map((p) => fc.constantFrom(...values(p)))),
        query: fc.tuple(
          ...query.map((p) =>
            fc.option(arbitraryFor(p.schema ?? { type: 'string' }, { components }), {
              freq: 2,
              nil: undefined,
            }),
          ),
        ),
        bogus: fc.boolean(),
        body: op.body ? arbitraryFor(op.body, { components }) : fc.constant(undefined),
        ifMatch: fc.constantFrom(undefined, '"1"', '"2"', '*', 'W/"1"', 'nonsense'),
        idempotencyKey: fc.option(fc.constantFrom('k1', 'k2', ''), { freq: 3, nil: undefined }),
      })
      .map(({ path, query: queryValues, bogus, body, ifMatch, idempotencyKey }) => {
        let url = op.template;
        pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, path[i])));
        const search = new URLSearchParams();
        query.forEach((p, i) => {
          const value = queryValues[i];
          if (value !== undefined) {
            search.set(p.name, typeof value === 'string' ? value : JSON.stringify(value));
          }
        });
        if (bogus && search.size === 0) {
          search.set('bogus', '1');
        }
        const headers: Json = {};
        if (op.method === 'PATCH' && ifMatch !== undefined) {
          headers['if-match'] = ifMatch;
        }
        if (op.method === 'POST' && idempotencyKey !== undefined) {
          headers['idempotency-key'] = idempotencyKey;
        }
        if (body !== undefined) {
          headers['content-type'] = 'application/json';
        }
        const qs = search.toString();
        return {
          path: qs ? `${url}?${qs}` : url,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        };
      });
  };

  it(`answers ${REQUESTS} generated requests within the contract, refusals changing nothing`, async () => {
    const ops = operations();
    const perOperation = Math.ceil(REQUESTS / ops.length);
    const samples = ops.map((op, i) => fc.sample(requestOf(op), { numRuns: perOperation, seed: SEED + i }));
    const figures = { requests: 0, status5xx: 0, undocumented: 0, offSchema: 0, changedAfterRefusal: 0 };
    const byStatus = new Map<number, number>();
    const problems: string[] = [];
    const started = process.hrtime.bigint();
    let before = await footprint();
    for (let i = 0; i < REQUESTS; i += 1) {
      const op = ops[i % ops.length];
      const [role, token] = callers[Math.floor(i / ops.length) % callers.length];
      const request = samples[i % ops.length][Math.floor(i / ops.length) % perOperation];
      const headers = { ...request.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
      const res = await pool.request({
        method: op.method,
        path: request.path,
        headers: headers as Record<string, string>,
        body: request.body,
      });
      const text = await res.body.text();
      const contentType = res.headers['content-type'] as string | undefined;
      let body: unknown = text;
      if (/^application\/(.+\+)?json/.test(contentType ?? '') && text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          problems.push(
            `${role}: ${op.method} ${request.path} answered JSON that does not parse: ${text.slice(0, 200)}`,
          );
        }
      }
      figures.requests += 1;
      byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
      const label = `${role}: ${op.method} ${request.path} ${request.body?.slice(0, 200) ?? ''}`;
      if (res.statusCode >= 500) {
        figures.status5xx += 1;
        problems.push(`5xx ${label} → ${res.statusCode} ${text.slice(0, 300)}`);
      }
      const violation = contract.violation({
        method: op.method,
        url: request.path,
        status: res.statusCode,
        contentType,
        body,
      });
      if (violation !== null) {
        if (violation.includes('does not document')) {
          figures.undocumented += 1;
        } else {
          figures.offSchema += 1;
        }
        problems.push(`${role}: ${violation}`);
      }
      const after = await footprint();
      if (res.statusCode >= 400 && after !== before) {
        figures.changedAfterRefusal += 1;
        problems.push(`changed after refusal ${label} → ${res.statusCode}: ${before} → ${after}`);
      }
      before = after;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const statuses = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
    process.stdout.write(
      `contract fuzz: ${figures.requests} requests, ${ops.length} operations, ${callers.length} callers ` +
        `(${callers.map(([r]) => r).join(', ')}), seed ${SEED}, ${seconds.toFixed(1)} s; ` +
        `5xx ${figures.status5xx}, undocumented ${figures.undocumented}, off-schema ${figures.offSchema}, ` +
        `changed after refusal ${figures.changedAfterRefusal}; statuses ${statuses.join(' ')}\n`,
    );
    expect(problems.slice(0, 20)).toEqual([]);
    expect(figures).toEqual({
      requests: REQUESTS,
      status5xx: 0,
      undocumented: 0,
      offSchema: 0,
      changedAfterRefusal: 0,
    });
    // The fuzz reached both sides of the routes: some requests were accepted, some refused.
    expect([...byStatus.keys()].some((s) => s < 300)).toBe(true);
    expect([...byStatus.keys()].some((s) => s >= 400)).toBe(true);
    // About 50 s for 10,000 on a quiet machine of 2 cores; bounded well above that.
  }, 240_000);
});
