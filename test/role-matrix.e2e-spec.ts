import { randomUUID } from 'node:crypto';
import type { Role } from '@stepwise/common/principal';
import { aRevision, givenDirectoryAndPolicy } from './planning-support';
import { bearer, startTestApi, TestApi } from './support/test-api';

// Who may call what, route by route, as DESIGN.md's HTTP contract says. The route list is read
// from the OpenAPI document, so a route added without a line here fails the suite.

const ALL: Role[] = ['admin', 'planner', 'auditor', 'service-owner', 'connector'];
const NOT_CONNECTOR: Role[] = ['admin', 'planner', 'auditor', 'service-owner'];
const PLANNING: Role[] = ['planner', 'admin'];
const OVERSIGHT: Role[] = ['planner', 'auditor', 'admin'];
const AUDIT: Role[] = ['auditor', 'admin'];

/** `METHOD /path` with every path parameter written `{}`. */
const EXPECTED: Record<string, Role[] | 'public'> = {
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'POST /api/v1/tokens': ['admin'],
  'DELETE /api/v1/tokens/{}': ['admin'],
  'POST /api/v1/services': PLANNING,
  'GET /api/v1/services': NOT_CONNECTOR,
  'GET /api/v1/services/{}': NOT_CONNECTOR,
  'PATCH /api/v1/services/{}': PLANNING,
  'POST /api/v1/services/{}/capability-changes': PLANNING,
  'POST /api/v1/policies': PLANNING,
  'GET /api/v1/policies': ALL,
  'GET /api/v1/policies/{}': ALL,
  'POST /api/v1/policies/{}/revisions': ['planner'],
  'GET /api/v1/policies/{}/revisions': ALL,
  'GET /api/v1/policies/{}/revisions/{}': ALL,
  'POST /api/v1/policies/{}/revisions/{}/submit': ['planner'],
  'POST /api/v1/policies/{}/revisions/{}/approve': ['planner'],
  'POST /api/v1/policies/{}/revisions/{}/reject': ['planner'],
  'POST /api/v1/policies/{}/revisions/{}/withdraw': ['planner'],
  'POST /api/v1/policies/{}/revisions/{}/publish': ['planner'],
  'GET /api/v1/policies/{}/revisions/{}/diff': ALL,
  'GET /api/v1/policies/{}/revisions/{}/impact': OVERSIGHT,
  'POST /api/v1/plans/import': ['admin'],
  'GET /api/v1/services/{}/requirements': ALL,
  'GET /api/v1/schedule': ALL,
  'GET /api/v1/schedule.ics': ALL,
  // Not in DESIGN.md's table: the calendar feed's URL (a feed key in place of the token).
  'GET /api/v1/schedule/feed': ALL,
  'GET /api/v1/services/{}/rules': ALL,
  'POST /api/v1/services/{}/rules/ack': ['connector'],
  'POST /api/v1/services/{}/rules/failures': ['connector'],
  'GET /api/v1/rollout': OVERSIGHT,
  'GET /api/v1/timeline': NOT_CONNECTOR,
  'POST /api/v1/adoption/snapshots': PLANNING,
  'GET /api/v1/adoption': NOT_CONNECTOR,
  'GET /api/v1/adoption/snapshots': OVERSIGHT,
  'POST /api/v1/policies/{}/phases/{}/overrides': ['planner'],
  'POST /api/v1/gate-overrides/{}/approve': ['planner'],
  'POST /api/v1/loans': PLANNING,
  'POST /api/v1/loans/{}/return': PLANNING,
  'GET /api/v1/loans': OVERSIGHT,
  // Not in DESIGN.md's table: re-enabling a connector is a planning decision (rollout.controller.ts).
  'POST /api/v1/services/{}/redeliver': ['planner'],
  'GET /api/v1/audit': AUDIT,
  'GET /api/v1/audit/verify': AUDIT,
  'GET /api/v1/audit/export': AUDIT,
  // Contacts and notices (issue 21): owners manage their own services' contacts and read their notices.
  'GET /api/v1/services/{}/contacts': NOT_CONNECTOR,
  'POST /api/v1/services/{}/contacts': ['planner', 'admin', 'service-owner'],
  'DELETE /api/v1/services/{}/contacts/{}': ['planner', 'admin', 'service-owner'],
  'PUT /api/v1/policies/{}/notice-settings': PLANNING,
  'GET /api/v1/notices': NOT_CONNECTOR,
  // Postponement requests (issue 21): an owner (or a planner for them) asks, another planner decides.
  'POST /api/v1/services/{}/postponements': ['service-owner', 'planner'],
  'GET /api/v1/postponements': NOT_CONNECTOR,
  'GET /api/v1/postponements/{}': NOT_CONNECTOR,
  'POST /api/v1/postponements/{}/approve': ['planner'],
  'POST /api/v1/postponements/{}/reject': ['planner'],
  'POST /api/v1/postponements/{}/withdraw': ['service-owner', 'planner'],
};

const SERVICE = 'svc-vpn';
const POLICY = 'matrix';

interface Route {
  key: string;
  method: string;
  url: string;
  /** The OpenAPI path, parameters named (`{id}`). */
  path: string;
}

/** A concrete URL: parameters filled with ids that exist and that scoped tokens may see. */
function concrete(path: string): string {
  const segments = path.split('/');
  return segments
    .map((segment, index) => {
      if (!/^\{.+\}$/.test(segment)) {
        return segment;
      }
      const owner = segments[index - 1];
      if (owner === 'services') {
        return SERVICE;
      }
      if (owner === 'policies') {
        return POLICY;
      }
      if (owner === 'revisions' || owner === 'postponements') {
        return '1';
      }
      return randomUUID();
    })
    .join('/');
}

describe('role × route matrix', () => {
  let sut: TestApi;
  let routes: Route[];
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    sut = await startTestApi();
    await givenDirectoryAndPolicy(sut, { id: POLICY });
    // Drafted by a planner the matrix does not use, so its approval is never refused as four-eyes.
    const drafter = await sut.token('planner');
    await sut.http
      .post(`/api/v1/policies/${POLICY}/revisions`)
      .set(...bearer(drafter))
      .send(aRevision())
      .expect(201);
    for (const role of ALL) {
      const scoped = role === 'service-owner' || role === 'connector';
      tokens.set(role, await sut.token(role, scoped ? [SERVICE] : undefined));
    }
    const doc = await sut.http.get('/docs-json').expect(200);
    routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) =>
        Object.keys(operations).map((method) => ({
          key: `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`,
          method,
          url: concrete(path),
          path,
        })),
    );
  });

  afterAll(async () => {
    await sut.close();
  });

  const call = (route: Route, token?: string) => {
    const request = (sut.http as unknown as Record<string, (url: string) => import('supertest').Test>)[
      route.method
    ](route.url);
    if (token) {
      request.set(...bearer(token));
    }
    return ['post', 'patch', 'put'].includes(route.method) ? request.send({}) : request;
  };

  it('lists every route of the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((route) => route.key).filter((key) => !(key in EXPECTED))).toEqual([]);
  });

  it('refuses every non-public route without a token (401)', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => EXPECTED[r.key] !== 'public')) {
      const res = await call(route);
      if (res.status !== 401) {
        wrong.push(`${route.key}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(ALL)('lets %s call exactly its routes: others are 403, its own never 401/403', async (role) => {
    const wrong: string[] = [];
    for (const route of routes) {
      const allowed = EXPECTED[route.key];
      if (allowed === undefined || allowed === 'public') {
        continue;
      }
      const res = await call(route, tokens.get(role));
      const refused = res.status === 401 || res.status === 403;
      if (allowed.includes(role) && refused) {
        wrong.push(`${route.key}: refused ${res.status} ${JSON.stringify(res.body)}`);
      }
      if (!allowed.includes(role) && res.status !== 403) {
        wrong.push(`${route.key}: answered ${res.status}, expected 403`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a path parameter no resource can have with 400 naming it, on every route', async () => {
    // Ids are slugs and revision numbers PostgreSQL integers: a NUL (which PostgreSQL refuses in
    // text), capitals, 64 characters, or a number past 2^31 − 1 must be bad input, never a 500.
    const badValues = (name: string): string[] =>
      name === 'n' || name === 'number'
        ? ['99999999999999999999', '2147483648', '0', '1.5', '%00']
        : ['%00', 'Upper', 'a'.repeat(64)];
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const allowed = EXPECTED[route.key];
      // Token ids are UUIDs, refused by ParseUUIDPipe (foundation.e2e-spec).
      if (allowed === undefined || allowed === 'public' || route.path.startsWith('/api/v1/tokens')) {
        continue;
      }
      for (const [placeholder, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
        for (const bad of badValues(name)) {
          const url = concrete(route.path.replace(placeholder, bad));
          const res = await call({ ...route, url }, tokens.get(allowed[0]));
          checked += 1;
          if (res.status !== 400 || !String(res.body.message).startsWith(`${name}: `)) {
            wrong.push(
              `${route.method.toUpperCase()} ${url.slice(0, 90)}: ${res.status} ${JSON.stringify(res.body)}`,
            );
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('refuses a query parameter the route does not take with 400 naming it, on every API route', async () => {
    // Routes with a query DTO refuse it in the validation pipe, routes without one in
    // NoQueryParametersInterceptor: either way a misspelt filter is never silently ignored.
    const wrong: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const allowed = EXPECTED[route.key];
      if (allowed === undefined || allowed === 'public') {
        continue;
      }
      const res = await call({ ...route, url: `${route.url}?bogus=1` }, tokens.get(allowed[0]));
      checked += 1;
      if (
        res.status !== 400 ||
        res.body.message !== 'bogus: is not a known field' ||
        res.body.code !== 'VALIDATION_FAILED'
      ) {
        wrong.push(`${route.key}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(Object.values(EXPECTED).filter((allowed) => allowed !== 'public').length);
  });
});
