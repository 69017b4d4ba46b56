import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret } from './webhook-secret';
import { signWebhook } from './webhook-signature';

describe(signWebhook.name, () => {
  it('matches the Standard Webhooks reference test vector', () => {
    const headers = signWebhook({
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      messageId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: new Date(1614265330 * 1000),
      body: '{"test": 2432232314}',
    });
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('produces headers the reference verifier accepts for the same bytes only', () => {
    const secret = generateWebhookSecret();
    const body = '{"service":"utas","generation":1}';
    const headers = signWebhook({ secret, messageId: 'msg_x', timestamp: new Date(), body });
    const verifier = new Webhook(secret);
    expect(verifier.verify(body, { ...headers })).toEqual({ service: 'utas', generation: 1 });
    expect(() => verifier.verify(body.replace('1', '2'), { ...headers })).toThrow();
    expect(() => verifier.verify(body, { ...headers, 'webhook-id': 'msg_y' })).toThrow();
  });

  it('signs byte for byte as the reference package does, for many secrets and bodies', () => {
    const bodies = ['{}', '{"rules":[{"population":"élèves","level":"enforced"}]}', 'x'.repeat(5000)];
    for (let round = 0; round < 20; round += 1) {
      const secret = generateWebhookSecret();
      for (const body of bodies) {
        const timestamp = new Date(1_700_000_000_000 + round * 1_234_567);
        // Twice: the second signature comes from the cached key and must not differ.
        for (let repeat = 0; repeat < 2; repeat += 1) {
          const headers = signWebhook({ secret, messageId: `svc-${round}`, timestamp, body });
          expect(headers['webhook-signature']).toBe(
            new Webhook(secret).sign(`svc-${round}`, timestamp, body),
          );
        }
      }
    }
  });
});
