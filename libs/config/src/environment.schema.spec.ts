import { ConfigurationError, validateEnvironment } from './environment.schema';

describe(validateEnvironment.name, () => {
  it('fills documented defaults', () => {
    const env = validateEnvironment({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/stepwise');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.STEPWISE_TIMEZONE).toBe('Asia/Tokyo');
    expect(env.STEPWISE_SWEEP_INTERVAL_MS).toBe(30000);
    expect(env.STEPWISE_SHUTDOWN_BOUND_MS).toBe(25000);
    expect(env.STEPWISE_REQUEST_TIMEOUT_MS).toBe(30000);
    expect(env.STEPWISE_LISTEN_HOST).toBeUndefined();
    expect(env.STEPWISE_METRICS_ALLOW).toBe('');
    expect(env.STEPWISE_WORKER_METRICS_HOST).toBe('127.0.0.1');
  });

  it('reads the listening addresses and the metrics allowlist', () => {
    const env = validateEnvironment({
      STEPWISE_LISTEN_HOST: '::',
      STEPWISE_METRICS_ALLOW: '10.0.0.0/8, 192.0.2.7',
      STEPWISE_WORKER_METRICS_HOST: '0.0.0.0',
    });
    expect(env).toMatchObject({
      STEPWISE_LISTEN_HOST: '::',
      STEPWISE_METRICS_ALLOW: '10.0.0.0/8, 192.0.2.7',
      STEPWISE_WORKER_METRICS_HOST: '0.0.0.0',
    });
  });

  it('takes a Redis URL with or without a database number', () => {
    expect(validateEnvironment({ REDIS_URL: 'redis://cache:6379/2' }).REDIS_URL).toBe('redis://cache:6379/2');
    expect(validateEnvironment({ REDIS_URL: 'rediss://cache:6380/' }).REDIS_URL).toBe('rediss://cache:6380/');
  });

  it('reads numbers from strings', () => {
    expect(validateEnvironment({ PORT: '8080' }).PORT).toBe(8080);
  });

  it.each([
    ['DATABASE_URL', 'not-a-url'],
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['REDIS_URL', 'http://localhost'],
    ['REDIS_URL', 'redis://localhost:6379/cache'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['STEPWISE_TIMEZONE', 'Mars/Olympus'],
    ['LOG_LEVEL', 'loud'],
    ['STEPWISE_ADMIN_TOKEN', 'short'],
    ['STEPWISE_SECRET_KEY', 'short'],
    ['STEPWISE_WEBHOOK_ALLOWLIST', '127.0.0.1/99'],
    ['STEPWISE_SHUTDOWN_BOUND_MS', '0'],
    ['STEPWISE_SHUTDOWN_BOUND_MS', 'soon'],
    ['STEPWISE_REQUEST_TIMEOUT_MS', '10'],
    ['STEPWISE_LISTEN_HOST', 'everywhere'],
    ['STEPWISE_LISTEN_HOST', '10.0.0.0/8'],
    ['STEPWISE_METRICS_ALLOW', '10.0.0.0/33'],
    ['STEPWISE_METRICS_ALLOW', 'prometheus.internal'],
    ['STEPWISE_WORKER_METRICS_HOST', 'localhost:9464'],
  ])('refuses %s=%s and names the variable', (name, value) => {
    const sut = (): unknown => validateEnvironment({ [name]: value });
    expect(sut).toThrow(ConfigurationError);
    expect(sut).toThrow(new RegExp(name));
  });

  it('requires a secret key in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/STEPWISE_SECRET_KEY/);
  });
});
