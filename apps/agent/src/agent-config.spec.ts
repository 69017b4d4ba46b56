import { AgentConfigError, parseAgentConfig } from './agent-config';

const valid = {
  service: 'demo-portal',
  mode: 'webhook',
  stepwise: { apiUrl: 'http://127.0.0.1:3000/api/v1', token: 'tok' },
  webhook: { listen: '127.0.0.1:8081', secret: `whsec_${'A'.repeat(43)}=` },
  stateFile: '/var/lib/stepwise-agent/demo-portal.json',
  adapter: { type: 'apache-oidc', includeFile: '/etc/apache2/stepwise/demo-portal.conf' },
};
const fieldOf = (input: unknown): string => {
  try {
    parseAgentConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(AgentConfigError);
    return (error as AgentConfigError).field;
  }
  throw new Error('accepted');
};

describe(parseAgentConfig.name, () => {
  it('fills the defaults of a minimal webhook configuration', () => {
    expect(parseAgentConfig(valid)).toMatchObject({
      mode: 'webhook',
      webhook: {
        listen: { host: '127.0.0.1', port: 8081 },
        path: '/stepwise/webhook',
        toleranceSeconds: 300,
      },
      health: { listen: { host: '127.0.0.1', port: 8082 } },
      pull: { intervalSeconds: 30 },
      adapter: {
        location: '/',
        mfaAcr: 'https://refeds.org/profile/mfa',
        unauthorized: 'step-up',
        testCommand: ['apachectl', 'configtest'],
        reloadCommand: ['apachectl', 'graceful'],
      },
      logLevel: 'info',
    });
  });

  it('names the field at fault, with its path', () => {
    expect(fieldOf({ ...valid, mode: 'push' })).toBe('mode');
    expect(fieldOf({ ...valid, service: 'Demo Portal' })).toBe('service');
    expect(fieldOf({ ...valid, stepwise: { apiUrl: 'ftp://x', token: 't' } })).toBe('stepwise.apiUrl');
    expect(fieldOf({ ...valid, stepwise: { apiUrl: 'http://x' } })).toBe('stepwise.token');
    expect(fieldOf({ ...valid, webhook: { ...valid.webhook, secret: 'hunter2' } })).toBe('webhook.secret');
    expect(fieldOf({ ...valid, webhook: { ...valid.webhook, listen: '8081' } })).toBe('webhook.listen');
    expect(fieldOf({ ...valid, webhook: undefined })).toBe('webhook');
    expect(fieldOf({ ...valid, adapter: { type: 'nginx' } })).toBe('adapter.type');
    expect(fieldOf({ ...valid, adapter: { ...valid.adapter, testCommand: [] } })).toBe('adapter.testCommand');
    expect(fieldOf({ ...valid, adapter: { ...valid.adapter, includFile: 'typo' } })).toBe(
      'adapter.includFile',
    );
    expect(fieldOf({ ...valid, stateFile: undefined })).toBe('stateFile');
    expect(fieldOf({ ...valid, populations: 'students' })).toBe('populations');
  });

  it('says what is wrong in the message', () => {
    expect(() => parseAgentConfig({ ...valid, pull: { intervalSeconds: -1 } })).toThrow(
      'config pull.intervalSeconds: must be a number from 0.1 to 86400',
    );
  });

  it('reads an Entra adapter, naming a group id that is missing', () => {
    const entra = { type: 'entra-ca', tenantId: 't', clientId: 'c', clientSecret: 's', applicationId: 'a' };
    expect(
      parseAgentConfig({ ...valid, adapter: { ...entra, groups: { students: 'g-1' } } }).adapter,
    ).toMatchObject({
      graphUrl: 'https://graph.microsoft.com/v1.0',
      displayNamePrefix: 'Stepwise',
    });
    expect(fieldOf({ ...valid, adapter: { ...entra, groups: {} } })).toBe('adapter.groups');
    expect(fieldOf({ ...valid, adapter: { ...entra, groups: { students: '' } } })).toBe(
      'adapter.groups.students',
    );
  });

  it('needs no webhook section in pull mode', () => {
    expect(parseAgentConfig({ ...valid, mode: 'pull', webhook: undefined }).webhook).toBeUndefined();
  });
});
