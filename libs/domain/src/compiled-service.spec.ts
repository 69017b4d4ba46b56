import { capabilityAt, compileService, knownIntroducedAt, serviceInstants } from './compiled-service';
import { aFact, aService, anIntroduction, ms } from './testing/factories';

describe(capabilityAt.name, () => {
  const service = compileService(
    aService({
      capabilityChanges: [
        aFact('ready', '2024-03-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'),
        aFact('not-ready', '2024-01-01T00:00:00.000Z'),
        aFact('ready', '2024-02-01T00:00:00.000Z', '2024-02-10T00:00:00.000Z'),
        aFact('not-ready', '2024-02-01T00:00:00.000Z', '2024-02-20T00:00:00.000Z'),
      ],
    }),
  );
  const at = (t: string, asOf: string) => capabilityAt(service, ms(t), ms(asOf));

  it('is not-ready with no spell before any fact', () => {
    expect(at('2023-01-01T00:00:00Z', '2025-01-01T00:00:00Z')).toEqual({
      capability: 'not-ready',
      spellStart: null,
    });
  });

  it('counts facts recorded by asOf, applied by effectiveAt', () => {
    expect(at('2024-02-15T00:00:00Z', '2024-02-05T00:00:00Z')).toEqual({
      capability: 'not-ready',
      spellStart: null,
    });
    expect(at('2024-02-15T00:00:00Z', '2024-02-15T00:00:00Z')).toEqual({
      capability: 'ready',
      spellStart: ms('2024-02-01T00:00:00Z'),
    });
  });

  it('lets a later-recorded correction for the same instant win', () => {
    expect(at('2024-02-15T00:00:00Z', '2024-02-25T00:00:00Z')).toEqual({
      capability: 'not-ready',
      spellStart: ms('2024-02-01T00:00:00Z'),
    });
    expect(at('2024-03-15T00:00:00Z', '2024-03-15T00:00:00Z')).toEqual({
      capability: 'ready',
      spellStart: ms('2024-03-01T00:00:00Z'),
    });
  });
});

describe(knownIntroducedAt.name, () => {
  it('knows the introduction once it is recorded', () => {
    const service = compileService(
      aService({ introductions: [anIntroduction('2024-05-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z')] }),
    );
    expect(knownIntroducedAt(service, ms('2024-03-01T00:00:00Z'))).toBeNull();
    expect(knownIntroducedAt(service, ms('2024-04-01T00:00:00Z'))).toBe(ms('2024-05-01T00:00:00Z'));
  });

  it('takes a correction into account from when it was recorded, never before', () => {
    const service = compileService(
      aService({
        introductions: [
          anIntroduction(null, '2024-07-01T00:00:00.000Z'),
          anIntroduction('2024-05-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'),
          anIntroduction('2024-06-01T00:00:00.000Z', '2024-06-10T00:00:00.000Z'),
        ],
      }),
    );
    expect(knownIntroducedAt(service, ms('2024-06-09T23:59:59.999Z'))).toBe(ms('2024-05-01T00:00:00Z'));
    expect(knownIntroducedAt(service, ms('2024-06-10T00:00:00Z'))).toBe(ms('2024-06-01T00:00:00Z'));
    expect(knownIntroducedAt(service, ms('2024-07-01T00:00:00Z'))).toBeNull();
  });
});

describe(serviceInstants.name, () => {
  it('gives effective instants known at asOf, or every effective and recorded instant for the live timeline', () => {
    const service = compileService(
      aService({
        recordedAt: '2024-01-01T00:00:00.000Z',
        capabilityChanges: [aFact('ready', '2024-02-01T00:00:00.000Z', '2024-02-05T00:00:00.000Z')],
      }),
    );
    expect(serviceInstants(service, ms('2024-02-01T00:00:00Z'))).toEqual([]);
    expect(serviceInstants(service, ms('2024-02-05T00:00:00Z'))).toEqual([ms('2024-02-01T00:00:00Z')]);
    expect(serviceInstants(service, null).sort()).toEqual(
      [ms('2024-01-01T00:00:00Z'), ms('2024-02-01T00:00:00Z'), ms('2024-02-05T00:00:00Z')].sort(),
    );
  });

  it('gives the introduction known at asOf, or every introduction and when it was recorded for the live timeline', () => {
    const service = compileService(
      aService({
        recordedAt: '2024-01-01T00:00:00.000Z',
        introductions: [
          anIntroduction('2024-03-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
          anIntroduction('2024-04-01T00:00:00.000Z', '2024-02-10T00:00:00.000Z'),
        ],
      }),
    );
    expect(serviceInstants(service, ms('2024-02-01T00:00:00Z'))).toEqual([ms('2024-03-01T00:00:00Z')]);
    expect(serviceInstants(service, ms('2024-02-10T00:00:00Z'))).toEqual([ms('2024-04-01T00:00:00Z')]);
    expect(new Set(serviceInstants(service, null))).toEqual(
      new Set([
        ms('2024-01-01T00:00:00Z'),
        ms('2024-02-10T00:00:00Z'),
        ms('2024-03-01T00:00:00Z'),
        ms('2024-04-01T00:00:00Z'),
      ]),
    );
  });
});
