import { Agent } from 'undici';
import { LocalReceiver, ReceiverHandler, respondWith, startLocalReceiver } from './testing/local-receiver';
import { postForStatus } from './status-only-post';

/** The deadline the deadline tests check; the others post with a generous one (a loaded machine is slow). */
const TIMEOUT_MS = 300;
const GENEROUS_TIMEOUT_MS = 10_000;
const LIMIT = 1024;

describe(postForStatus.name, () => {
  const receivers: LocalReceiver[] = [];
  let agent: Agent;

  async function receiver(handler: ReceiverHandler): Promise<LocalReceiver> {
    const started = await startLocalReceiver(handler);
    receivers.push(started);
    return started;
  }

  const post = (target: LocalReceiver, body = '{"generation":1}', timeoutMs = GENEROUS_TIMEOUT_MS) =>
    postForStatus(agent, {
      origin: target.origin,
      path: '/hook',
      headers: { 'content-type': 'application/json' },
      body,
      timeoutMs,
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
    const started = performance.now();

    // The body never ends: any bound short of the test's own timeout shows the status came alone.
    await expect(post(target, undefined, TIMEOUT_MS)).resolves.toBe(200);
    expect(performance.now() - started).toBeLessThan(GENEROUS_TIMEOUT_MS);
  });

  it('rejects with a TimeoutError when no status arrives within the deadline', async () => {
    const target = await receiver(() => undefined);
    const started = performance.now();

    await expect(post(target, undefined, TIMEOUT_MS)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    // No status ever comes: any bound short of the test's own timeout shows the deadline held.
    expect(performance.now() - started).toBeLessThan(GENEROUS_TIMEOUT_MS);
  });

  it('rejects with the network error when nothing listens', async () => {
    const target = await receiver(respondWith(204));
    await target.close();

    await expect(post(target)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
