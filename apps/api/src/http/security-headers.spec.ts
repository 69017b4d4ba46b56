import { helmetHeaders, HELMET_OPTIONS } from './security-headers';

describe(helmetHeaders.name, () => {
  it('gives the headers helmet sets, once', () => {
    const sut = helmetHeaders(HELMET_OPTIONS);
    expect(sut['x-content-type-options']).toBe('nosniff');
    expect(sut['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(sut['x-frame-options']).toBe('SAMEORIGIN');
    expect(sut['content-security-policy']).toContain("default-src 'self'");
    expect(sut['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
  });

  it('follows the options given', () => {
    expect(helmetHeaders({ contentSecurityPolicy: false })['content-security-policy']).toBeUndefined();
  });
});
