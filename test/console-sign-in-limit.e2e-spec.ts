import { startTestApi, TestApi } from './support/test-api';

// The limit on sign-in attempts (the flows themselves are in console.e2e-spec.ts, in Chromium).

describe('Console sign-in', () => {
  describe('with a limit of 2 sign-ins a minute', () => {
    let sut: TestApi;

    beforeAll(async () => {
      sut = await startTestApi({ STEPWISE_LOGIN_RATE_LIMIT_PER_MINUTE: '2' });
    });

    afterAll(async () => {
      await sut.close();
    });

    it('answers the third attempt from one address 429 with Retry-After, login or callback', async () => {
      const first = await sut.http.get('/auth/login');
      const second = await sut.http.get('/auth/callback?code=x&state=y');
      expect([first.status, second.status]).not.toContain(429);
      const third = await sut.http.get('/auth/login');
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toBe('60');
      expect(third.text).toContain('Too many sign-in attempts');
    });
  });
});
