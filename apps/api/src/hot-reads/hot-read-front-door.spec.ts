import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Principal } from '@stepwise/common/principal';
import { Access } from '../auth/access.decorator';
import { HotReadFrontDoor, type HotReadFrontDoorOptions } from './hot-read-front-door';
import { HotReadLimiter } from './hot-read-limiter';
import type { HotReadAnswer, HotReadRoute } from './hot-read-route';

class FakeController {
  @Access('service-owner', 'connector')
  read(): void {}
}

const owner: Principal = { id: 'owner-1', name: 'owner', role: 'service-owner', services: ['utas'] };
const planner: Principal = { id: 'planner-1', name: 'planner', role: 'planner', services: null };
const principals: Record<string, Principal> = { 'owner-secret': owner, 'planner-secret': planner };

interface Seen {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe(HotReadFrontDoor.name, () => {
  let server: Server;
  let origin: string;
  let answer: () => HotReadAnswer | null | Promise<HotReadAnswer | null>;
  let observed: [string, string, number][];
  let options: HotReadFrontDoorOptions;
  let sut: HotReadFrontDoor;

  const route: HotReadRoute = {
    handler: FakeController.prototype.read,
    pattern: '/api/v1/services/:id/thing',
    match: (url) => {
      const m = /^\/api\/v1\/services\/([a-z]+)\/thing$/.exec(url);
      return m ? { serviceId: m[1], query: {} } : null;
    },
    answer: () => answer(),
  };

  beforeEach(async () => {
    answer = () => ({ status: 200, body: '{"level":"enforced"}', headers: ['etag', '"7"'] });
    observed = [];
    options = {
      routes: [route],
      authenticate: (secret) => principals[secret] ?? null,
      limiter: null,
      headers: { 'x-content-type-options': 'nosniff' },
      observe: (method, pattern, status) => observed.push([method, pattern, status]),
      logger: pino({ level: 'silent' }),
    };
    sut = new HotReadFrontDoor(options);
    // Whatever the front door declines is answered by this stand-in for Fastify.
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const answered = sut.answer(request, response);
      const fallBack = (done: boolean): void => {
        if (!done) {
          response.writeHead(418).end('fastify');
        }
      };
      if (typeof answered === 'boolean') {
        fallBack(answered);
      } else {
        void answered.then(fallBack);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const get = async (path: string, secret?: string, method = 'GET'): Promise<Seen> => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: secret ? { authorization: `Bearer ${secret}` } : {},
    });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  };

  it('answers an authorised plain read itself, with every header, and counts it', async () => {
    const seen = await get('/api/v1/services/utas/thing', 'owner-secret');
    expect(seen.status).toBe(200);
    expect(seen.body).toBe('{"level":"enforced"}');
    expect(seen.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(seen.headers['content-length']).toBe(String(seen.body.length));
    expect(seen.headers['x-content-type-options']).toBe('nosniff');
    expect(seen.headers['etag']).toBe('"7"');
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(observed).toEqual([['GET', '/api/v1/services/:id/thing', 200]]);
  });

  it('answers 304 without a body', async () => {
    answer = () => ({ status: 304, body: null, headers: ['etag', '"7"'] });
    const seen = await get('/api/v1/services/utas/thing', 'owner-secret');
    expect(seen.status).toBe(304);
    expect(seen.body).toBe('');
    expect(seen.headers['etag']).toBe('"7"');
    expect(seen.headers['x-request-id']).toBeDefined();
    expect(seen.headers['x-content-type-options']).toBeUndefined();
  });

  it('waits for a token lookup and a snapshot that is being rebuilt', async () => {
    options.authenticate = (secret) => Promise.resolve(principals[secret] ?? null);
    sut = new HotReadFrontDoor(options);
    answer = () => Promise.resolve({ status: 200, body: '{}', headers: [] });
    expect((await get('/api/v1/services/utas/thing', 'owner-secret')).status).toBe(200);
  });

  it.each([
    ['no token', '/api/v1/services/utas/thing', undefined, 'GET'],
    ['an unknown token', '/api/v1/services/utas/thing', 'nobody', 'GET'],
    ['a role the route does not allow', '/api/v1/services/utas/thing', 'planner-secret', 'GET'],
    ['a service outside the token scope', '/api/v1/services/utol/thing', 'owner-secret', 'GET'],
    ['a path it does not handle', '/api/v1/services/utas/thing?at=2024-01-01', 'owner-secret', 'GET'],
    ['another method', '/api/v1/services/utas/thing', 'owner-secret', 'DELETE'],
  ])('hands %s to Fastify untouched', async (_what, path, secret, method) => {
    const seen = await get(path, secret, method);
    expect(seen.status).toBe(418);
    expect(observed).toEqual([]);
  });

  it.each([
    ['declines', () => null],
    [
      'throws',
      () => {
        throw new Error('unknown service');
      },
    ],
    ['rejects', () => Promise.reject(new Error('unknown service'))],
  ])('hands the request to Fastify when the route %s', async (_what, behaviour) => {
    answer = behaviour;
    expect((await get('/api/v1/services/utas/thing', 'owner-secret')).status).toBe(418);
  });

  it('answers 429 once a token passes its limit', async () => {
    options.limiter = new HotReadLimiter(2);
    sut = new HotReadFrontDoor(options);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await get('/api/v1/services/utas/thing', 'owner-secret')).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await get('/api/v1/services/utas/thing', 'owner-secret');
    expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 429 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
  });

  it('hands everything to Fastify once closed', async () => {
    sut.close();
    expect((await get('/api/v1/services/utas/thing', 'owner-secret')).status).toBe(418);
  });
});
