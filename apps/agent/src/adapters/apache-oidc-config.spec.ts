import { renderApacheRule, type ApacheRuleInput } from './apache-oidc-config';

const input = (overrides: Partial<ApacheRuleInput>): ApacheRuleInput => ({
  service: 'demo-portal',
  generation: 3,
  hash: 'sha256:ab',
  level: 'none',
  location: '/app',
  mfaAcr: 'https://refeds.org/profile/mfa',
  unauthorized: 'step-up',
  reportLog: 'logs/report.log',
  ...overrides,
});

describe(renderApacheRule.name, () => {
  it('enforced: asks the provider for the MFA acr, requires it, and steps up (or refuses) without it', () => {
    const text = renderApacheRule(input({ level: 'enforced' }));
    expect(text).toContain('OIDCPathAuthRequestParams acr_values=https%3A%2F%2Frefeds.org%2Fprofile%2Fmfa');
    expect(text).toContain('Require claim acr:https://refeds.org/profile/mfa');
    expect(text).toContain('OIDCUnAutzAction auth');
    expect(renderApacheRule(input({ level: 'enforced', unauthorized: 'refuse' }))).toContain(
      'OIDCUnAutzAction 403',
    );
  });

  it('warn: lets users in, sending those without MFA once per session to the instructions page', () => {
    const text = renderApacheRule(input({ level: 'warn', instructionsUrl: 'https://help.example/mfa' }));
    expect(text).toContain('Require valid-user');
    expect(text).toContain('RewriteRule ^ https://help.example/mfa [R=302,L,E=STEPWISE_WARNED:1]');
    expect(text).toContain('stepwise_warned_demo_portal=1');
    expect(text).not.toContain('Require claim');
    expect(() => renderApacheRule(input({ level: 'warn' }))).toThrow(/needs an instructions page/);
  });

  it('report-only: lets users in and logs those without MFA', () => {
    const text = renderApacheRule(input({ level: 'report-only' }));
    expect(text).toContain('Require valid-user');
    expect(text).toContain('CustomLog "logs/report.log"');
    expect(text).toContain('OIDCPathAuthRequestParams acr_values=');
    expect(text).not.toContain('Require claim');
  });

  it('expected and none: sign-in only, no requirement', () => {
    for (const level of ['expected', 'none'] as const) {
      const text = renderApacheRule(input({ level }));
      expect(text).toContain('Require valid-user');
      expect(text).not.toMatch(/Require claim|Rewrite|acr_values/);
      expect(text).toContain(`generation 3, level ${level}`);
    }
  });
});
