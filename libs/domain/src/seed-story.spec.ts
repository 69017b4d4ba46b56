import type { ServiceFacts } from './plan.types';
import { resolveRequirements } from './resolve';
import { liveTransitions } from './transitions';
import { loadSeed, tokyo, tokyoIso } from './testing/seed';

// The seed story, checked against the announcement (shared/seed/mfa-mandatory-announcement.md)
// rather than against this code: config/plans/utokyo-mfa.yaml and config/services/utokyo.yaml.

const seed = loadSeed();
const lab = seed.services.get('example-lab-portal');
// The lab portal becomes MFA-ready on 2024-10-01 (a directory change recorded that day).
const labReadyLater: ServiceFacts | undefined = lab && {
  ...lab,
  capabilityChanges: [
    ...lab.capabilityChanges,
    { mfaCapability: 'ready', effectiveAt: tokyoIso('2024-10-01'), recordedAt: tokyoIso('2024-10-01') },
  ],
};
// A system introduced on 2024-11-01 that already supported MFA (a SaaS ready since 2023).
const newSaas: ServiceFacts = {
  id: 'example-new-saas',
  tags: ['example'],
  recordedAt: tokyoIso('2024-10-20'),
  introductions: [{ introducedAt: tokyoIso('2024-11-01'), recordedAt: tokyoIso('2024-10-20') }],
  capabilityChanges: [
    { mfaCapability: 'ready', effectiveAt: tokyoIso('2023-04-01'), recordedAt: tokyoIso('2024-10-20') },
  ],
};

function serviceFor(id: string): ServiceFacts {
  const found =
    id === 'lab-ready-later' ? labReadyLater : id === newSaas.id ? newSaas : seed.services.get(id);
  if (found === undefined) {
    throw new Error(`no seed service ${id}`);
  }
  return found;
}

function requirementFor(id: string, population: string, at: string, asOf: string) {
  const result = resolveRequirements({
    policies: [seed.policy],
    service: serviceFor(id),
    population,
    at: tokyo(at),
    asOf: tokyo(asOf),
  });
  return { requirement: result.requirements[0], upcoming: result.upcoming };
}

describe('seed story (UTokyo MFA announcement)', () => {
  // at and asOf are Tokyo local; expected: level, source (kind or kind:name), revision.
  it.each([
    ['utokyo-vpn', 'faculty-staff', '2024-02-15', '2024-03-01', 'enforced', 'phase:step-1', 1],
    ['utokyo-vpn', 'students', '2024-02-15', '2024-02-27', 'none', 'none', null],
    ['utokyo-slack', 'students', '2024-01-20', '2024-03-01', 'none', 'none', 1],
    ['utokyo-slack', 'faculty-staff', '2024-09-15', '2024-09-15', 'enforced', 'phase:step-1', 2],
    ['utokyo-vpn', 'students', '2025-04-01', '2025-04-01', 'enforced', 'phase:step-1', 2],
    ['utokyo-wifi-account-menu', 'students', '2024-02-27T23:59:59', '2024-03-01', 'none', 'none', 1],
    [
      'utokyo-wifi-account-menu',
      'students',
      '2024-02-28T00:00:00',
      '2024-02-28T00:00:00',
      'expected',
      'statement',
      1,
    ],
    ['utokyo-wifi-account-menu', 'students', '2024-02-29', '2024-02-29', 'expected', 'statement', 1],
    [
      'utokyo-wifi-account-menu',
      'faculty-staff',
      '2024-02-29T23:59:59.999',
      '2024-02-29T23:59:59.999',
      'expected',
      'statement',
      1,
    ],
    [
      'utokyo-wifi-account-menu',
      'faculty-staff',
      '2024-03-01T00:00:00',
      '2024-03-01T00:00:00',
      'enforced',
      'phase:step-2',
      1,
    ],
    ['utokyo-wifi-account-menu', 'students', '2024-03-05', '2024-02-20', 'none', 'none', null],
    ['utas', 'students', '2024-07-01', '2024-03-15', 'expected', 'statement', 1],
    ['utas', 'students', '2024-07-01', '2024-09-01', 'expected', 'statement', 2],
    ['utol', 'faculty-staff', '2024-09-01', '2024-08-28', 'expected', 'statement', 1],
    ['eccs-cloud-email', 'students', '2024-06-15', '2024-03-15', 'expected', 'statement', 1],
    ['eccs-cloud-email', 'faculty-staff', '2024-06-15', '2024-09-01', 'expected', 'statement', 2],
    ['example-lab-portal', 'students', '2024-09-01', '2024-09-01', 'expected', 'statement', 2],
    ['lab-ready-later', 'students', '2024-10-15', '2024-10-15', 'enforced', 'rule:mfa-ready', 2],
    [
      'lab-ready-later',
      'faculty-staff',
      '2024-10-01T00:00:00',
      '2024-10-01T00:00:00',
      'enforced',
      'rule:mfa-ready',
      2,
    ],
    ['lab-ready-later', 'students', '2024-09-30T23:59:59.999', '2024-10-15', 'expected', 'statement', 2],
    ['lab-ready-later', 'students', '2024-10-15', '2024-09-15', 'expected', 'statement', 2],
    ['example-new-saas', 'students', '2024-11-02', '2024-11-02', 'enforced', 'rule:service-introduced', 2],
    ['example-new-saas', 'students', '2024-10-25', '2024-11-02', 'expected', 'statement', 2],
  ])(
    '%s for %s at %s as of %s is %s (%s, revision %p)',
    (id, population, at, asOf, level, source, revision) => {
      const { requirement } = requirementFor(id, population, at, asOf);
      const named =
        requirement.source.kind === 'phase'
          ? `phase:${requirement.source.phase}`
          : requirement.source.kind === 'rule'
            ? `rule:${requirement.source.rule}`
            : requirement.source.kind;
      expect({ level: requirement.level, source: named, revision: requirement.revision }).toEqual({
        level,
        source,
        revision,
      });
    },
  );

  it('gives DESIGN.md requirements answer for UTAS in July as of mid-March', () => {
    const result = resolveRequirements({
      policies: [seed.policy],
      service: serviceFor('utas'),
      population: 'students',
      at: Date.parse('2024-06-30T15:00:00.000Z'),
      asOf: Date.parse('2024-03-14T15:00:00.000Z'),
    });
    expect(result).toEqual({
      requirements: [
        {
          policy: 'mfa-mandatory',
          revision: 1,
          population: 'students',
          level: 'expected',
          since: '2024-02-27T15:00:00.000Z',
          plannedSince: '2024-02-27T15:00:00.000Z',
          source: { kind: 'statement' },
        },
      ],
      upcoming: [
        {
          policy: 'mfa-mandatory',
          revision: 1,
          population: 'students',
          level: 'enforced',
          at: null,
          tentative: '2024-06',
          phase: 'step-4',
        },
      ],
    });
  });

  it('shows no tentative step for UTAS once steps 3 and 4 are suspended', () => {
    expect(requirementFor('utas', 'students', '2024-07-01', '2024-09-01').upcoming).toEqual([]);
  });

  it('shows ECCS Cloud Email the tentative step 3 of May 2024 before the suspension', () => {
    expect(requirementFor('eccs-cloud-email', 'students', '2024-04-01', '2024-03-15').upcoming).toEqual([
      {
        policy: 'mfa-mandatory',
        revision: 1,
        population: 'students',
        level: 'enforced',
        at: null,
        tentative: '2024-05',
        phase: 'step-3',
      },
    ]);
  });

  it('announces step 2 for the Wi-Fi account menu on 1 March Tokyo time', () => {
    expect(
      requirementFor('utokyo-wifi-account-menu', 'students', '2024-02-29', '2024-02-29').upcoming,
    ).toEqual([
      {
        policy: 'mfa-mandatory',
        revision: 1,
        population: 'students',
        level: 'enforced',
        at: '2024-02-29T15:00:00.000Z',
        tentative: null,
        phase: 'step-2',
      },
    ]);
  });

  it('has the live timeline of the Wi-Fi account menu: expected on publication, enforced on 1 March', () => {
    const sut = liveTransitions({
      policies: [seed.policy],
      service: serviceFor('utokyo-wifi-account-menu'),
      from: tokyo('2024-01-01'),
      to: tokyo('2025-01-01'),
    });
    expect(sut.map((t) => `${t.at} ${t.population} ${t.from}>${t.to}`)).toEqual([
      '2024-02-27T15:00:00.000Z faculty-staff none>expected',
      '2024-02-27T15:00:00.000Z students none>expected',
      '2024-02-29T15:00:00.000Z faculty-staff expected>enforced',
      '2024-02-29T15:00:00.000Z students expected>enforced',
    ]);
  });

  it('never enforces UTAS on the live timeline of 2024 (steps 3 and 4 never confirmed)', () => {
    const sut = liveTransitions({
      policies: [seed.policy],
      service: serviceFor('utas'),
      from: tokyo('2024-01-01'),
      to: tokyo('2025-01-01'),
    });
    expect(sut.map((t) => t.to)).toEqual(['expected', 'expected']);
  });
});
