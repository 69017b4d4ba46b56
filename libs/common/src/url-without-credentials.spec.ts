import { urlWithoutCredentials } from './url-without-credentials';

describe('urlWithoutCredentials', () => {
  it('leaves out the user name and the password, and keeps the rest', () => {
    expect(urlWithoutCredentials('postgres://app:s%40cret@db.example:5433/stepwise?sslmode=require')).toBe(
      'postgres://db.example:5433/stepwise?sslmode=require',
    );
    expect(urlWithoutCredentials('redis://:only-a-password@127.0.0.1:6379/2')).toBe(
      'redis://127.0.0.1:6379/2',
    );
  });

  it('keeps a URL without credentials as it is', () => {
    expect(urlWithoutCredentials('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
