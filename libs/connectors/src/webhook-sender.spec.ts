import type { LookupAddress } from 'node:dns';
import { Webhook } from 'standardwebhooks';
import { LocalReceiver, ReceivedRequest, respondWith, startLocalReceiver } from './testing/local-receiver';
import { generateWebhookSecret } from './webhook-secret';
import { WebhookSender } from './webhook-sender';
import { WebhookTargetPolicy } from './webhook-target-policy';

/** The timeout under test; the other tests send with a generous one, as a loaded machine is slow. */
const TIMEOUT_MS = 300;
const GENEROUS_TIMEOUT_MS = 10_000;
const body = JSON.stringify({ service: 'utas', generation: 7, rules: [] });

function signatureHeaders(request: ReceivedRequest): Record<string, string> {
  const pick = (name: string) => String(request.headers[name] ?? '');
  return {
    'webhook-id': pick('webhook-id'),
    'webhook-timestamp': pick('webhook-timestamp'),
    'webhook-signature': pick('webhook-signature'),
  };
}

describe(WebhookSender.name, () => {
  const secret = generateWebhookSecret();
  const receivers: LocalReceiver[] = [];
  let sut: WebhookSender;

  async function receiver(handler = respondWith(204)): Promise<LocalReceiver> {
    const started = await startLocalReceiver(handler);
    receivers.push(started);
    return started;
  }

  beforeEach(() => {
    sut = new WebhookSender({
      policy: WebhookTargetPolicy.fromAllowlist('127.0.0.0/8'),
      timeoutMs: GENEROUS_TIMEOUT_MS,
    });
  });

  afterEach(async () => {
    await sut.close();
    await Promise.all(receivers.splice(0).map((started) => started.close()));
  });

  describe('signing', () => {
    it('sends a body the reference Standard Webhooks verifier accepts', async () => {
      const target = await receiver();
      const result = await sut.deliver({
        url: `${target.origin}/hook?x=1`,
        secret,
        messageId: 'msg_utas_7',
        body,
      });

      expect(result).toEqual({ outcome: 'delivered', statusCode: 204 });
      const [request] = target.received;
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/hook?x=1');
      expect(request.body).toBe(body);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['webhook-id']).toBe('msg_utas_7');
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(new Webhook(secret).verify(request.body, signatureHeaders(request))).toEqual(JSON.parse(body));
    });

    it('signs the given timestamp, in seconds', async () => {
      const target = await receiver();
      const timestamp = new Date('2024-03-01T00:00:00.750Z');
      await sut.deliver({ url: target.origin, secret, messageId: 'msg_1', body, timestamp });
      expect(target.received[0].headers['webhook-timestamp']).toBe('1709251200');
    });

    it('fails verification when the body is tampered with', async () => {
      const target = await receiver();
      await sut.deliver({ url: target.origin, secret, messageId: 'msg_2', body });
      const tampered = target.received[0].body.replace('"generation":7', '"generation":8');
      expect(() => new Webhook(secret).verify(tampered, signatureHeaders(target.received[0]))).toThrow(
        'No matching signature found',
      );
    });

    it('fails verification when the timestamp is older than five minutes', async () => {
      const target = await receiver();
      const timestamp = new Date(Date.now() - 6 * 60_000);
      await sut.deliver({ url: target.origin, secret, messageId: 'msg_3', body, timestamp });
      expect(() => new Webhook(secret).verify(body, signatureHeaders(target.received[0]))).toThrow(
        'Message timestamp too old',
      );
    });

    it('fails verification under another secret', async () => {
      const target = await receiver();
      await sut.deliver({ url: target.origin, secret, messageId: 'msg_4', body });
      const other = new Webhook(generateWebhookSecret());
      expect(() => other.verify(body, signatureHeaders(target.received[0]))).toThrow();
    });
  });

  describe('outcomes', () => {
    it('treats any 2xx as delivered', async () => {
      const target = await receiver(respondWith(202));
      expect(await sut.deliver({ url: target.origin, secret, messageId: 'm', body })).toEqual({
        outcome: 'delivered',
        statusCode: 202,
      });
    });

    it('retries on 500', async () => {
      const target = await receiver(respondWith(500));
      expect(await sut.deliver({ url: target.origin, secret, messageId: 'm', body })).toEqual({
        outcome: 'retry',
        statusCode: 500,
        error: 'receiver answered HTTP 500',
      });
    });

    it('reports 410 as gone', async () => {
      const target = await receiver(respondWith(410));
      expect(await sut.deliver({ url: target.origin, secret, messageId: 'm', body })).toEqual({
        outcome: 'gone',
        statusCode: 410,
      });
    });

    it('does not follow a redirect, and retries it', async () => {
      const elsewhere = await receiver(respondWith(200));
      const target = await receiver(respondWith(302, { location: `${elsewhere.origin}/stolen` }));
      const result = await sut.deliver({ url: target.origin, secret, messageId: 'm', body });
      expect(result).toEqual({
        outcome: 'retry',
        statusCode: 302,
        error: 'receiver answered HTTP 302',
      });
      expect(target.received).toHaveLength(1);
      expect(elsewhere.received).toHaveLength(0);
    });

    it('gives up on a receiver that hangs, within the timeout, and retries', async () => {
      const target = await receiver(() => undefined);
      const short = new WebhookSender({
        policy: WebhookTargetPolicy.fromAllowlist('127.0.0.0/8'),
        timeoutMs: TIMEOUT_MS,
      });
      try {
        const startedAt = performance.now();
        const result = await short.deliver({ url: target.origin, secret, messageId: 'm', body });
        const elapsedMs = performance.now() - startedAt;
        expect(result).toEqual({ outcome: 'retry', error: `timeout after ${TIMEOUT_MS} ms` });
        expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
        // The receiver never answers: any bound short of the test's own timeout shows it gave up.
        expect(elapsedMs).toBeLessThan(GENEROUS_TIMEOUT_MS);
      } finally {
        await short.close();
      }
    });

    it('retries when nothing listens on the port', async () => {
      const target = await receiver();
      await target.close();
      const result = await sut.deliver({ url: target.origin, secret, messageId: 'm', body });
      expect(result).toMatchObject({
        outcome: 'retry',
        error: expect.stringContaining('ECONNREFUSED'),
      });
    });

    it('retries when the receiver name does not resolve (DNS may recover)', async () => {
      const resolveHost = async (): Promise<LookupAddress[]> => {
        throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
      };
      const flaky = new WebhookSender({
        policy: WebhookTargetPolicy.fromAllowlist('', { resolveHost }),
        timeoutMs: TIMEOUT_MS,
      });
      try {
        const url = 'http://receiver.example.com/';
        expect(await flaky.deliver({ url, secret, messageId: 'm', body })).toMatchObject({
          outcome: 'retry',
          error: expect.stringContaining('EAI_AGAIN'),
        });
      } finally {
        await flaky.close();
      }
    });

    it('refuses, without sending, a secret that is not a Standard Webhooks secret', async () => {
      const target = await receiver();
      const result = await sut.deliver({
        url: target.origin,
        secret: 'hunter2',
        messageId: 'm',
        body,
      });
      expect(result).toEqual({ outcome: 'refused', error: 'invalid webhook secret' });
      expect(target.received).toHaveLength(0);
    });

    it('reuses keep-alive connections instead of opening one per delivery', async () => {
      const target = await receiver((_request, response) => response.writeHead(200).end('x'.repeat(4096)));
      for (let index = 0; index < 20; index++) {
        const result = await sut.deliver({
          url: target.origin,
          secret,
          messageId: `m${index}`,
          body,
        });
        expect(result.outcome).toBe('delivered');
      }
      // undici may open a second socket while the first is being released; never more.
      expect(new Set(target.received.map((request) => request.remotePort)).size).toBeLessThanOrEqual(2);
    });

    it('delivers concurrent sends over a bounded pool', async () => {
      const target = await receiver(respondWith(200));
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          sut.deliver({ url: target.origin, secret, messageId: `c${index}`, body }),
        ),
      );
      expect(results.every((result) => result.outcome === 'delivered')).toBe(true);
      expect(new Set(target.received.map((request) => request.headers['webhook-id'])).size).toBe(40);
    });
  });
});
