import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { FileAppliedState, RulesClient, type RulesDocument } from '@stepwise/connector';
import { FixedClock } from '@stepwise/common/clock';
import { AgentLog } from './agent-log';
import { PullLoop } from './pull-loop';
import { RulesAgent } from './rules-agent';

/** Pull mode against a local stand-in for Stepwise's rules, ack and failures routes. */
describe(PullLoop.name, () => {
  let server: Server;
  let folder: string;
  let current: RulesDocument;
  const calls: string[] = [];
  const applied: number[] = [];
  let failApply = false;
  const clock = new FixedClock(DateTime.fromISO('2026-12-08T00:00:00Z', { zone: 'utc' }));
  const log = new AgentLog(clock, 'error', () => undefined);
  const doc = (generation: number): RulesDocument => ({
    service: 'utas',
    generation,
    hash: `sha256:${generation}`,
    computedAt: '2026-12-08T00:00:00.000Z',
    rules: [],
    nextChangeAt: null,
  });

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const etag = `"${current.generation}"`;
        calls.push(`${request.method} ${request.url?.split('/').pop()} ${body}`.trim());
        if (request.method === 'GET') {
          if (request.headers['if-none-match'] === etag) {
            response.writeHead(304).end();
          } else {
            response
              .writeHead(200, { etag, 'content-type': 'application/json' })
              .end(JSON.stringify(current));
          }
        } else {
          response.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'agent-pull-'));
    calls.length = 0;
    applied.length = 0;
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  const loop = async () => {
    const client = new RulesClient({
      apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
      token: 'tok',
      service: 'utas',
    });
    const adapter = {
      name: 'fake',
      apply: async (document: RulesDocument) => {
        if (failApply) {
          throw new Error('shibd -t refused');
        }
        applied.push(document.generation);
      },
    };
    const agent = new RulesAgent(
      adapter,
      new FileAppliedState(join(folder, 'state.json')),
      client,
      clock,
      log,
    );
    await agent.start();
    return new PullLoop(client, agent, 30_000, log);
  };

  it('applies a new generation, then acknowledges it; a 304 changes nothing', async () => {
    current = doc(4);
    const sut = await loop();
    await sut.pullNow();
    await sut.pullNow();
    expect(applied).toEqual([4]);
    expect(calls).toEqual(['GET rules', 'POST ack {"generation":4}', 'GET rules']);
  });

  it('reports a failed apply and does not acknowledge it; the next pull applies it', async () => {
    current = doc(5);
    const sut = await loop();
    failApply = true;
    await sut.pullNow();
    expect(calls).toEqual(['GET rules', 'POST failures {"generation":5,"error":"shibd -t refused"}']);
    failApply = false;
    await sut.pullNow();
    expect(applied).toEqual([5]);
    expect(calls.slice(2)).toEqual(['GET rules', 'POST ack {"generation":5}']);
  });
});
