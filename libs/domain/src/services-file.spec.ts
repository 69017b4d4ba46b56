import { parseServicesFile, serviceFactsFromEntry } from './services-file';

const service = (overrides: Record<string, unknown> = {}) => ({
  id: 'utokyo-vpn',
  name: 'UTokyo VPN',
  mfaCapability: 'ready',
  readySince: '2024-02-01',
  connector: { type: 'pull' },
  ...overrides,
});
const fieldsOf = (input: unknown) => {
  const sut = parseServicesFile(input);
  return sut.ok ? [] : sut.errors.map((error) => error.field);
};

describe(parseServicesFile.name, () => {
  it('reads entries with dates in the file timezone and defaults', () => {
    const sut = parseServicesFile({
      timezone: 'Asia/Tokyo',
      services: [
        service({ tags: ['network'], owner: 'ITC' }),
        service({
          id: 'hook',
          name: 'Hooked',
          mfaCapability: 'not-ready',
          readySince: undefined,
          introducedAt: '2024-05-01T00:00:00Z',
          connector: { type: 'webhook', url: 'https://hook.example/rules', secret: 'whsec_abc' },
        }),
      ],
    });
    expect(sut).toEqual({
      ok: true,
      value: {
        timezone: 'Asia/Tokyo',
        services: [
          {
            id: 'utokyo-vpn',
            name: 'UTokyo VPN',
            owner: 'ITC',
            tags: ['network'],
            introducedAt: null,
            mfaCapability: 'ready',
            readySince: '2024-01-31T15:00:00.000Z',
            connector: { type: 'pull' },
          },
          {
            id: 'hook',
            name: 'Hooked',
            owner: null,
            tags: [],
            introducedAt: '2024-05-01T00:00:00.000Z',
            mfaCapability: 'not-ready',
            readySince: null,
            connector: { type: 'webhook', url: 'https://hook.example/rules', secret: 'whsec_abc' },
          },
        ],
      },
    });
  });

  it('reads dates as UTC without a timezone', () => {
    const sut = parseServicesFile({ services: [service()] });
    expect(sut.ok && sut.value.services[0].readySince).toBe('2024-02-01T00:00:00.000Z');
  });

  it.each([
    ['(root)', []],
    ['services', {}],
    ['timezone', { timezone: 'Nowhere/City', services: [] }],
    ['region', { region: 'x', services: [] }],
    ['services[0]', { services: ['vpn'] }],
    ['services[0].id', { services: [service({ id: 'VPN' })] }],
    ['services[1].id', { services: [service(), service()] }],
    ['services[0].name', { services: [service({ name: '' })] }],
    ['services[0].owner', { services: [service({ owner: 3 })] }],
    ['services[0].tags[1]', { services: [service({ tags: ['a', ''] })] }],
    ['services[0].introducedAt', { services: [service({ introducedAt: '2024-02-30' })] }],
    ['services[0].mfaCapability', { services: [service({ mfaCapability: 'maybe' })] }],
    ['services[0].readySince', { services: [service({ readySince: '2024-02-01T00:00' })] }],
    ['services[0].readySince', { services: [service({ mfaCapability: 'not-ready' })] }],
    ['services[0].connector', { services: [service({ connector: undefined })] }],
    ['services[0].connector.type', { services: [service({ connector: { type: 'push' } })] }],
    [
      'services[0].connector.url',
      { services: [service({ connector: { type: 'pull', url: 'https://x.example' } })] },
    ],
    [
      'services[0].connector.url',
      { services: [service({ connector: { type: 'webhook', url: 'javascript:alert(1)' } })] },
    ],
    [
      'services[0].connector.secret',
      { services: [service({ connector: { type: 'webhook', url: 'https://x.example', secret: '' } })] },
    ],
    [
      'services[0].connector.headers',
      { services: [service({ connector: { type: 'webhook', url: 'https://x.example', headers: {} } })] },
    ],
    ['services[0].color', { services: [service({ color: 'red' })] }],
  ])('reports %s', (field, input) => {
    expect(fieldsOf(input)).toEqual([field]);
  });
});

describe(serviceFactsFromEntry.name, () => {
  const entry = {
    id: 'x',
    name: 'X',
    owner: null,
    tags: ['t'],
    introducedAt: null,
    mfaCapability: 'ready' as const,
    readySince: '2024-02-01T00:00:00.000Z',
    connector: { type: 'pull' as const },
  };

  it('records one capability fact at registration, effective at readySince for a ready service', () => {
    expect(serviceFactsFromEntry(entry, '2024-06-01T00:00:00.000Z')).toEqual({
      id: 'x',
      tags: ['t'],
      recordedAt: '2024-06-01T00:00:00.000Z',
      introductions: [],
      capabilityChanges: [
        {
          mfaCapability: 'ready',
          effectiveAt: '2024-02-01T00:00:00.000Z',
          recordedAt: '2024-06-01T00:00:00.000Z',
        },
      ],
    });
  });

  it('records the introduction at registration', () => {
    const introduced = { ...entry, introducedAt: '2024-05-01T00:00:00.000Z' };
    expect(serviceFactsFromEntry(introduced, '2024-06-01T00:00:00.000Z').introductions).toEqual([
      { introducedAt: '2024-05-01T00:00:00.000Z', recordedAt: '2024-06-01T00:00:00.000Z' },
    ]);
  });
});
