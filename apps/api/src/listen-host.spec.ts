import { DEVELOPMENT_ADMIN_TOKEN, listenHost } from './listen-host';

describe(listenHost.name, () => {
  it('listens on every interface by default', () => {
    expect(listenHost({ STEPWISE_ADMIN_TOKEN: 'a-secret-of-our-own-123' }).host).toBe('0.0.0.0');
    expect(listenHost({}).host).toBe('0.0.0.0');
  });

  it('listens on loopback only while the development admin token is in use, and says so', () => {
    expect(listenHost({ STEPWISE_ADMIN_TOKEN: DEVELOPMENT_ADMIN_TOKEN })).toEqual({
      host: '127.0.0.1',
      notice: { level: 'warn', message: expect.stringContaining('listening on 127.0.0.1 only') },
    });
  });

  it('takes STEPWISE_LISTEN_HOST as set, warning when it opens the development token to others', () => {
    expect(listenHost({ STEPWISE_LISTEN_HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
    expect(
      listenHost({ STEPWISE_LISTEN_HOST: '0.0.0.0', STEPWISE_ADMIN_TOKEN: DEVELOPMENT_ADMIN_TOKEN }),
    ).toEqual({
      host: '0.0.0.0',
      notice: {
        level: 'warn',
        message: expect.stringContaining('anyone who can reach this address is an admin'),
      },
    });
  });
});
