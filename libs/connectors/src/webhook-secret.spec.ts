import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, isValidWebhookSecret } from './webhook-secret';

describe(generateWebhookSecret.name, () => {
  it('returns whsec_ and 32 random bytes in base64, different each time', () => {
    const first = generateWebhookSecret();
    const second = generateWebhookSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(first).not.toBe(second);
    expect(isValidWebhookSecret(first)).toBe(true);
  });

  it('is accepted by the reference Standard Webhooks library', () => {
    expect(() => new Webhook(generateWebhookSecret())).not.toThrow();
  });
});

describe(isValidWebhookSecret.name, () => {
  it.each([
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', true], // 24 bytes: the spec's own example
    [`whsec_${Buffer.alloc(23, 1).toString('base64')}`, false],
    [`whsec_${Buffer.alloc(64, 7).toString('base64')}`, true],
    [Buffer.alloc(32, 1).toString('base64'), false],
    ['whsec_', false],
    ['whsec_not base64 at all!!!!!!!!!!!!!!!!!!', false],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=', false],
    ['WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', false],
  ])('%s is valid: %s', (secret, expected) => {
    expect(isValidWebhookSecret(secret)).toBe(expected);
  });
});
