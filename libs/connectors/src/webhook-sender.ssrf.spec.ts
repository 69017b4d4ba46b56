import { LocalReceiver, respondWith, startLocalReceiver } from './testing/local-receiver';
import { generateWebhookSecret } from './webhook-secret';
import { DeliveryResult, WebhookSender } from './webhook-sender';
import { WebhookTargetPolicy } from './webhook-target-policy';

// Every refused URL below must be refused before a socket opens: nothing may leave loopback.
describe(`${WebhookSender.name} target policy at delivery`, () => {
  const secret = generateWebhookSecret();
  const body = '{"service":"utas","generation":1}';
  const senders: WebhookSender[] = [];
  let receiver: LocalReceiver;

  function deliverWith(allowlist: string, url: string): Promise<DeliveryResult> {
    const sender = new WebhookSender({
      policy: WebhookTargetPolicy.fromAllowlist(allowlist),
      // Refusals happen before any send; the deliveries allowed must not race a loaded machine.
      timeoutMs: 10_000,
    });
    senders.push(sender);
    return sender.deliver({ url, secret, messageId: 'msg_ssrf', body });
  }

  beforeEach(async () => {
    receiver = await startLocalReceiver(respondWith(204));
  });

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((sender) => sender.close()));
    await receiver.close();
  });

  it.each([
    'http://127.0.0.1/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://[::ffff:7f00:1]/',
    'http://0177.0.0.1/',
    'http://169.254.169.254/',
    'http://[fe80::1]/',
    'http://localhost/',
  ])('refuses %s with an empty allowlist, as not retryable', async (url) => {
    expect(await deliverWith('', url)).toMatchObject({
      outcome: 'refused',
      error: expect.stringContaining('ESSRF_REFUSED'),
    });
  });

  it('refuses the local receiver by address and by name, and it receives nothing', async () => {
    for (const url of [receiver.origin, `http://localhost:${receiver.port}/`]) {
      expect((await deliverWith('', url)).outcome).toBe('refused');
    }
    expect(receiver.received).toHaveLength(0);
  });

  it.each(['127.0.0.0/8', '127.0.0.1'])('delivers to 127.0.0.1 when %s is listed', async (entry) => {
    expect(await deliverWith(entry, receiver.origin)).toEqual({
      outcome: 'delivered',
      statusCode: 204,
    });
  });

  it('delivers to localhost when localhost is listed', async () => {
    expect(await deliverWith('localhost', `http://localhost:${receiver.port}/`)).toEqual({
      outcome: 'delivered',
      statusCode: 204,
    });
  });

  it('refuses 169.254.169.254 even when 169.254.0.0/16 is listed', async () => {
    expect(await deliverWith('169.254.0.0/16', 'http://169.254.169.254/')).toEqual({
      outcome: 'refused',
      error: 'ESSRF_REFUSED: 169.254.169.254 is linkLocal and is never allowed',
    });
  });

  it('refuses non-http schemes and credentials in the URL', async () => {
    expect((await deliverWith('127.0.0.0/8', `ftp://127.0.0.1:${receiver.port}/`)).outcome).toBe('refused');
    const withCredentials = `http://user:pw@127.0.0.1:${receiver.port}/`;
    expect((await deliverWith('127.0.0.0/8', withCredentials)).outcome).toBe('refused');
    expect(receiver.received).toHaveLength(0);
  });
});
