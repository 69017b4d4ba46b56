import type { LookupAddress } from 'node:dns';
import type { Agent } from 'undici';
import { LocalReceiver, respondWith, startLocalReceiver } from './testing/local-receiver';
import { createWebhookDispatcher } from './webhook-dispatcher';
import { WebhookTargetPolicy } from './webhook-target-policy';

describe(createWebhookDispatcher.name, () => {
  let receiver: LocalReceiver;
  let dispatcher: Agent | undefined;

  beforeEach(async () => {
    receiver = await startLocalReceiver(respondWith(200));
  });

  afterEach(async () => {
    await dispatcher?.close();
    dispatcher = undefined;
    await receiver.close();
  });

  async function post(agent: Agent, origin: string): Promise<number> {
    const response = await agent.request({ origin, path: '/hook', method: 'POST', body: '{}' });
    await response.body.dump();
    return response.statusCode;
  }

  it('refuses an IP-literal host before connecting, with code ESSRF_REFUSED', async () => {
    dispatcher = createWebhookDispatcher(WebhookTargetPolicy.fromAllowlist(''));
    await expect(post(dispatcher, receiver.origin)).rejects.toMatchObject({
      code: 'ESSRF_REFUSED',
      message: expect.stringContaining('127.0.0.1 is loopback'),
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a name resolving to a refused address (real resolver, localhost)', async () => {
    dispatcher = createWebhookDispatcher(WebhookTargetPolicy.fromAllowlist(''));
    await expect(post(dispatcher, `http://localhost:${receiver.port}`)).rejects.toMatchObject({
      code: 'ESSRF_REFUSED',
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a name that re-points to loopback after passing registration (DNS rebinding)', async () => {
    let answer = '93.184.215.14';
    const resolveHost = async (): Promise<LookupAddress[]> => [{ address: answer, family: 4 }];
    const policy = WebhookTargetPolicy.fromAllowlist('', { resolveHost });
    const url = `http://rebind.example.com:${receiver.port}`;
    expect(await policy.checkUrl(url)).toEqual({ ok: true });

    answer = '127.0.0.1';
    dispatcher = createWebhookDispatcher(policy);
    await expect(post(dispatcher, url)).rejects.toMatchObject({ code: 'ESSRF_REFUSED' });
    expect(receiver.received).toHaveLength(0);
  });

  it('connects to an allow-listed literal', async () => {
    dispatcher = createWebhookDispatcher(WebhookTargetPolicy.fromAllowlist('127.0.0.0/8'));
    expect(await post(dispatcher, receiver.origin)).toBe(200);
    expect(receiver.received).toHaveLength(1);
  });

  it('connects to an allow-listed hostname at the address the guard resolved', async () => {
    const resolveHost = async (): Promise<LookupAddress[]> => [{ address: '127.0.0.1', family: 4 }];
    const policy = WebhookTargetPolicy.fromAllowlist('receiver.internal', { resolveHost });
    dispatcher = createWebhookDispatcher(policy);
    expect(await post(dispatcher, `http://receiver.internal:${receiver.port}`)).toBe(200);
    expect(receiver.received[0].headers.host).toBe(`receiver.internal:${receiver.port}`);
  });

  it('connects to localhost when localhost is listed', async () => {
    dispatcher = createWebhookDispatcher(WebhookTargetPolicy.fromAllowlist('localhost'));
    expect(await post(dispatcher, `http://localhost:${receiver.port}`)).toBe(200);
  });

  it('reports a DNS failure as a network error, not as a refusal', async () => {
    const resolveHost = async (): Promise<LookupAddress[]> => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
    };
    const policy = WebhookTargetPolicy.fromAllowlist('', { resolveHost });
    dispatcher = createWebhookDispatcher(policy);
    await expect(post(dispatcher, `http://flaky.example.com:${receiver.port}`)).rejects.toMatchObject({
      code: 'EAI_AGAIN',
    });
  });
});
