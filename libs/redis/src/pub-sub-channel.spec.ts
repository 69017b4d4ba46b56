import { pubSubChannel } from './pub-sub-channel';

describe(pubSubChannel.name, () => {
  it('names the database as well as the prefix: pub/sub ignores the database number', () => {
    expect(pubSubChannel('redis://127.0.0.1:6379', 'stepwise', 'plan-changed')).toBe(
      'stepwise:db0:plan-changed',
    );
    expect(pubSubChannel('redis://127.0.0.1:6379/', 'stepwise', 'plan-changed')).toBe(
      'stepwise:db0:plan-changed',
    );
    expect(pubSubChannel('rediss://user:pw@cache:6380/3', 'stepwise', 'token-revoked')).toBe(
      'stepwise:db3:token-revoked',
    );
  });
});
