import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RulesClient, StepwiseApiError } from './rules-client';

const document = {
  service: 'utas',
  generation: 5,
  hash: 'sha256:5',
  computedAt: '2026-01-01T00:00:00.000Z',
  rules: [],
  nextChangeAt: null,
};

describe(RulesClient.name, () => {
  let server: Server;
  let sut: RulesClient;
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        if (request.url?.startsWith('/moved')) {
          response.writeHead(302, { location: '/api/v1/services/utas/rules' }).end();
        } else if (request.url?.endsWith('/rules') && request.headers['if-none-match'] === '"5"') {
          response.writeHead(304).end();
        } else if (request.url?.endsWith('/rules')) {
          response
            .writeHead(200, { etag: '"5"', 'content-type': 'application/json' })
            .end(JSON.stringify(document));
        } else if (request.url?.endsWith('/ack')) {
          response.writeHead(204).end();
        } else {
          response.writeHead(409, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              statusCode: 409,
              code: 'conflict',
              message: 'generation 9 has not been issued',
            }),
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    sut = new RulesClient({ apiUrl: `http://127.0.0.1:${port}/api/v1/`, token: 'tok', service: 'utas' });
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('pulls the document, then asks again conditionally and gets not-modified', async () => {
    const first = await sut.pull();
    expect(first).toEqual({ changed: true, etag: '"5"', document });
    expect(await sut.pull(first.etag)).toEqual({ changed: false, etag: '"5"' });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/v1/services/utas/rules' });
    expect(seen.at(-1)?.headers.authorization).toBe('Bearer tok');
  });

  it('acknowledges with an idempotency key, and surfaces a refusal with its status and code', async () => {
    await sut.ack(5);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"generation":5}' });
    expect(seen.at(-1)?.headers['idempotency-key']).toBe('ack-utas-5');
    const refusal = await sut.reportFailure(9, 'configtest failed').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StepwiseApiError);
    expect(refusal).toMatchObject({ status: 409, code: 'conflict', retryable: true });
    expect((refusal as Error).message).toBe('409: generation 9 has not been issued');
  });

  it('never follows a redirect', async () => {
    const { port } = server.address() as AddressInfo;
    const moved = new RulesClient({
      apiUrl: `http://127.0.0.1:${port}/moved`,
      token: 'tok',
      service: 'utas',
    });
    await expect(moved.pull()).rejects.toMatchObject({ status: 302, retryable: false });
  });
});
