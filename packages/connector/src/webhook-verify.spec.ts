import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook, WebhookVerificationError } from './webhook-verify';

describe(verifyWebhook.name, () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const body = JSON.stringify({ service: 'utas', generation: 3 });
  const nowMs = 1_800_000_000_000;
  // The reference implementation signs: the kit must accept exactly what it produces.
  const signed = (at = new Date(nowMs), payload = body) =>
    Object.fromEntries(
      Object.entries({
        'webhook-id': 'msg_utas_3',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      }).concat([['webhook-signature', new Webhook(secret).sign('msg_utas_3', at, payload)]]),
    );

  it('accepts what the reference package signs, and returns the message id', () => {
    expect(verifyWebhook({ secret, headers: signed(), body, nowMs })).toEqual({
      id: 'msg_utas_3',
      timestamp: nowMs / 1000,
    });
  });

  it('refuses a tampered body', () => {
    expect(() => verifyWebhook({ secret, headers: signed(), body: body.replace('3', '4'), nowMs })).toThrow(
      'no signature matches',
    );
  });

  it('refuses a timestamp outside the replay window, either way', () => {
    expect(() => verifyWebhook({ secret, headers: signed(new Date(nowMs - 301_000)), body, nowMs })).toThrow(
      /outside the 300 s window/,
    );
    expect(() => verifyWebhook({ secret, headers: signed(new Date(nowMs + 301_000)), body, nowMs })).toThrow(
      WebhookVerificationError,
    );
    expect(() =>
      verifyWebhook({ secret, headers: signed(new Date(nowMs - 30_000)), body, nowMs, toleranceSeconds: 10 }),
    ).toThrow(/outside the 10 s window/);
  });

  it('accepts any matching signature among several (secret rotation)', () => {
    const headers = signed();
    headers['webhook-signature'] = `v1,${randomBytes(32).toString('base64')} ${headers['webhook-signature']}`;
    expect(verifyWebhook({ secret, headers, body, nowMs }).id).toBe('msg_utas_3');
  });

  it('refuses another secret and missing headers', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(() => verifyWebhook({ secret: other, headers: signed(), body, nowMs })).toThrow(
      'no signature matches',
    );
    const { 'webhook-id': _dropped, ...withoutId } = signed();
    expect(() => verifyWebhook({ secret, headers: withoutId, body, nowMs })).toThrow(
      'missing header webhook-id',
    );
  });
});
