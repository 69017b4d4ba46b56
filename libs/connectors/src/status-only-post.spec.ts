import { Agent } from 'undici';
import { LocalReceiver, ReceiverHandler, respondWith, startLocalReceiver } from './testing/local-receiver';
import { postForStatus } from './status-only-post';

const TIMEOUT_MS = 300;
const LIMIT = 1024;

describe(postForStatus.name, () => {
  const receivers: LocalReceiver[] = [];
  let agent: Agent;

  async function receiver(handler: ReceiverHandler): Promise<LocalReceiver> {
    const started = await startLocalReceiver(handler);
    receivers.push(started);
    return started;
  }

  const post = (target: LocalReceiver, body = '{"generation":1}') =>
    postForStatus(agent, {
      origin: target.origin,
      path: '/hook',
      headers: { 'content-type': 'application/json' },
      body,
      timeoutMs: TIMEOUT_MS,
      responseLimit: LIMIT,
    });

  beforeEach(() => {
    agent = new Agent({ keepAliveTimeout: 4_000 });
  });

  afterEach(async () => {
    await agent.close();
    await Promise.all(receivers.splice(0).map((started) => started.close()));
  });

  it('sends the body and headers as given and resolves with the status', async () => {
    const target = await receiver(respondWith(202));

    await expect(post(target, '{"a":"é"}')).resolves.toBe(202);
    expect(target.received).toMatchObject([
      { method: 'POST', path: '/hook', body: '{"a":"é"}', headers: { 'content-type': 'application/json' } },
    ]);
  });

  it('reads and drops a small answer, so the next post reuses the connection', async () => {
    const target = await receiver(respondWith(200));

    for (let index = 0; index < 20; index += 1) {
      await post(target);
    }

    // undici may open a second socket while the first is being released; never more.
    expect(new Set(target.received.map((request) => request.remotePort)).size).toBeLessThanOrEqual(2);
  });

  it('still reports the status when the answer is larger than the limit, and drops that connection', async () => {
    const target = await receiver((_request, response) => {
      response.writeHead(500).end('x'.repeat(LIMIT * 64));
    });

    for (let index = 0; index < 5; index += 1) {
      await expect(post(target)).resolves.toBe(500);
    }

    expect(new Set(target.received.map((request) => request.remotePort)).size).toBe(5);
  });

  it('still reports the status when the answer body stalls past the deadline', async () => {
    const target = await receiver((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('partial');
    });
    const started = Date.now();

    await expect(post(target)).resolves.toBe(200);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
  });

  it('rejects with a TimeoutError when no status arrives within the deadline', async () => {
    const target = await receiver(() => undefined);
    const started = Date.now();

    await expect(post(target)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 3);
  });

  it('rejects with the network error when nothing listens', async () => {
    const target = await receiver(respondWith(204));
    await target.close();

    await expect(post(target)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
