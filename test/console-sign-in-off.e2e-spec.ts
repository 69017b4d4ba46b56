import { startTestApi, TestApi } from './support/test-api';

// Production without an identity provider: console sign-in is off, the API unchanged.

describe('Console sign-in', () => {
  describe('in production with no identity provider', () => {
    let sut: TestApi;

    beforeAll(async () => {
      sut = await startTestApi({
        NODE_ENV: 'production',
        STEPWISE_SECRET_KEY: 'production-like-secret-key-0123456789abcdef',
      });
    });

    afterAll(async () => {
      await sut.close();
    });

    it('turns console sign-in off with a page that says so, and mounts no development provider', async () => {
      const login = await sut.http.get('/auth/login').set('accept-language', 'ja');
      expect(login.status).toBe(503);
      expect(login.text).toContain('コンソールへのサインインは無効です');
      expect((await sut.http.get('/dev-idp/.well-known/openid-configuration')).status).toBe(404);
      expect((await sut.http.get('/auth/session')).body).toMatchObject({ signedIn: false, mode: 'off' });
    });

    it('keeps the API working with bearer tokens', async () => {
      const res = await sut.http
        .get('/api/v1/services')
        .set('authorization', 'Bearer test-admin-token-0123456789');
      expect(res.status).toBe(200);
    });
  });
});
