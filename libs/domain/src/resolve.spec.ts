import type { Phase, PolicyWithRevisions, RevisionPlan, ServiceFacts } from './plan.types';
import { resolveRequirements } from './resolve';
import {
  aFact,
  aPhase,
  aPlan,
  aPolicy,
  aPolicyWith,
  aRevision,
  aService,
  anIntroduction,
  ms,
} from './testing/factories';

const MARCH = '2024-03-01T00:00:00.000Z';
const APRIL = ms('2024-04-01T00:00:00Z');

function sut(
  plan: RevisionPlan,
  options: { service?: ServiceFacts; at?: number; asOf?: number; population?: string } = {},
) {
  const policy = aPolicyWith([aRevision(1, '2024-01-01T00:00:00.000Z', plan)]);
  return resolveRequirements({
    policies: [policy],
    service: options.service ?? aService(),
    population: options.population,
    at: options.at ?? APRIL,
    asOf: options.asOf ?? APRIL,
  });
}

const levels = (result: ReturnType<typeof sut>) =>
  result.requirements.map((requirement) => requirement.level);
const onlyPhase = (phase: Partial<Phase>) => aPlan({ phases: [aPhase(phase)] });

describe(resolveRequirements.name, () => {
  it('says nothing before any revision is published as of asOf', () => {
    const result = sut(onlyPhase({}), { asOf: ms('2023-12-31T23:59:59.999Z') });
    expect(result.requirements).toEqual([
      {
        policy: 'mfa',
        revision: null,
        population: 'staff',
        level: 'none',
        since: null,
        plannedSince: null,
        source: { kind: 'none' },
      },
      {
        policy: 'mfa',
        revision: null,
        population: 'students',
        level: 'none',
        since: null,
        plannedSince: null,
        source: { kind: 'none' },
      },
    ]);
  });

  it('enforces a confirmed active phase from its instant, for every population', () => {
    expect(sut(onlyPhase({})).requirements[0]).toEqual({
      policy: 'mfa',
      revision: 1,
      population: 'staff',
      level: 'enforced',
      since: MARCH,
      plannedSince: MARCH,
      source: { kind: 'phase', phase: 'p1' },
    });
    expect(levels(sut(onlyPhase({}), { at: ms(MARCH) - 1 }))).toEqual(['none', 'none']);
  });

  it('orders enforced > report-only > expected > none', () => {
    const reportOnly = aPhase({ key: 'watch', enforcement: 'report-only' });
    const plan = aPlan({ phases: [reportOnly], mandatory: { since: '2024-01-15' } });
    expect(levels(sut(plan))).toEqual(['report-only', 'report-only']);
    expect(levels(sut({ ...plan, phases: [reportOnly, aPhase()] }))).toEqual(['enforced', 'enforced']);
    expect(levels(sut({ ...plan, phases: [] }))).toEqual(['expected', 'expected']);
    expect(sut({ ...plan, phases: [] }).requirements[0]).toMatchObject({
      since: '2024-01-15T00:00:00.000Z',
      source: { kind: 'statement' },
    });
  });

  it.each([
    ['suspended', { state: 'suspended', stateReason: 'later' }],
    ['cancelled', { state: 'cancelled', stateReason: 'dropped' }],
    ['tentative', { effective: { tentative: '2024-03' } }],
  ] as const)('never raises the level with a %s phase', (_label, phase) => {
    expect(levels(sut(onlyPhase(phase)))).toEqual(['none', 'none']);
  });

  it('applies a phase only to the populations it names, and narrows by population', () => {
    const plan = onlyPhase({ scope: { services: ['svc-a'], populations: ['students'] } });
    expect(levels(sut(plan))).toEqual(['none', 'enforced']);
    expect(sut(plan, { population: 'students' }).requirements.map((r) => r.population)).toEqual(['students']);
    expect(sut(plan, { population: 'alumni' }).requirements).toEqual([]);
  });

  it('matches a tag selector only when the service has all the tags, minus except', () => {
    const service = aService({ tags: ['email', 'cloud'] });
    expect(
      levels(sut(onlyPhase({ scope: { selector: { tags: ['email', 'cloud'] } } }), { service })),
    ).toEqual(['enforced', 'enforced']);
    expect(levels(sut(onlyPhase({ scope: { selector: { tags: ['email', 'lms'] } } }), { service }))).toEqual([
      'none',
      'none',
    ]);
    expect(
      levels(sut(onlyPhase({ scope: { selector: { tags: ['email'] }, except: ['svc-a'] } }), { service })),
    ).toEqual(['none', 'none']);
  });

  describe('capability selector', () => {
    const plan = onlyPhase({ scope: { selector: { mfaCapability: 'ready' } } });

    it('treats a service without facts as not-ready', () => {
      expect(levels(sut(plan))).toEqual(['none', 'none']);
      expect(levels(sut(onlyPhase({ scope: { selector: { mfaCapability: 'not-ready' } } })))).toEqual([
        'enforced',
        'enforced',
      ]);
    });

    it('evaluates readiness at the instant asked, since the later of phase and ready spell', () => {
      const service = aService({ capabilityChanges: [aFact('ready', '2024-03-10T00:00:00.000Z')] });
      expect(levels(sut(plan, { service, at: ms('2024-03-09T00:00:00Z') }))).toEqual(['none', 'none']);
      expect(sut(plan, { service }).requirements[0].since).toBe('2024-03-10T00:00:00.000Z');
    });

    it('ignores facts recorded after asOf', () => {
      const service = aService({
        capabilityChanges: [aFact('ready', '2024-03-10T00:00:00.000Z', '2024-05-01T00:00:00.000Z')],
      });
      expect(levels(sut(plan, { service }))).toEqual(['none', 'none']);
      expect(levels(sut(plan, { service, asOf: ms('2024-05-01T00:00:00Z') }))).toEqual([
        'enforced',
        'enforced',
      ]);
    });

    it('stops covering a service that became not-ready', () => {
      const service = aService({
        capabilityChanges: [
          aFact('ready', '2024-01-10T00:00:00.000Z'),
          aFact('not-ready', '2024-03-20T00:00:00.000Z'),
        ],
      });
      expect(levels(sut(plan, { service }))).toEqual(['none', 'none']);
    });
  });

  describe('standing rule mfa-ready', () => {
    const plan = aPlan({ standingRules: [{ on: 'mfa-ready', since: '2024-02-01', enforcement: 'enforce' }] });

    it('enforces from the start of a ready spell that began after the baseline', () => {
      const service = aService({ capabilityChanges: [aFact('ready', '2024-03-10T00:00:00.000Z')] });
      expect(sut(plan, { service }).requirements[0]).toMatchObject({
        level: 'enforced',
        since: '2024-03-10T00:00:00.000Z',
        source: { kind: 'rule', rule: 'mfa-ready' },
      });
    });

    it('does not fire for a service ready since before the baseline', () => {
      const service = aService({ capabilityChanges: [aFact('ready', '2024-01-10T00:00:00.000Z')] });
      expect(levels(sut(plan, { service }))).toEqual(['none', 'none']);
    });

    it('fires again from a new ready spell after a not-ready one', () => {
      const service = aService({
        capabilityChanges: [
          aFact('ready', '2024-01-10T00:00:00.000Z'),
          aFact('not-ready', '2024-02-10T00:00:00.000Z'),
          aFact('ready', '2024-03-15T00:00:00.000Z'),
          aFact('ready', '2024-03-20T00:00:00.000Z'),
        ],
      });
      expect(sut(plan, { service }).requirements[0].since).toBe('2024-03-15T00:00:00.000Z');
    });

    it('takes the baseline from publishAt by default, and gives report-only when asked', () => {
      const service = aService({ capabilityChanges: [aFact('ready', '2023-12-31T00:00:00.000Z')] });
      expect(levels(sut(aPlan({ standingRules: [{ on: 'mfa-ready' }] }), { service }))).toEqual([
        'none',
        'none',
      ]);
      const late = aService({ capabilityChanges: [aFact('ready', '2024-01-02T00:00:00.000Z')] });
      expect(
        levels(
          sut(aPlan({ standingRules: [{ on: 'mfa-ready', enforcement: 'report-only' }] }), { service: late }),
        ),
      ).toEqual(['report-only', 'report-only']);
    });
  });

  describe('standing rule service-introduced', () => {
    const plan = aPlan({ standingRules: [{ on: 'service-introduced', since: '2024-02-01' }] });
    const introduced = (readyAt: string, recordedAt = '2024-02-15T00:00:00.000Z') =>
      aService({
        recordedAt,
        introductions: [anIntroduction('2024-03-01T00:00:00.000Z', recordedAt)],
        capabilityChanges: [aFact('ready', readyAt, recordedAt)],
      });

    it('enforces from max(introducedAt, ready since)', () => {
      expect(sut(plan, { service: introduced('2023-06-01T00:00:00.000Z') }).requirements[0]).toMatchObject({
        level: 'enforced',
        since: '2024-03-01T00:00:00.000Z',
        source: { kind: 'rule', rule: 'service-introduced' },
      });
      expect(sut(plan, { service: introduced('2024-03-05T00:00:00.000Z') }).requirements[0].since).toBe(
        '2024-03-05T00:00:00.000Z',
      );
    });

    it('does not fire before the introduction, for a not-ready service, or before the service was recorded', () => {
      expect(
        levels(
          sut(plan, { service: introduced('2023-06-01T00:00:00.000Z'), at: ms('2024-02-20T00:00:00Z') }),
        ),
      ).toEqual(['none', 'none']);
      expect(
        levels(
          sut(plan, {
            service: aService({
              introductions: [anIntroduction('2024-03-01T00:00:00.000Z', '2024-02-15T00:00:00.000Z')],
            }),
          }),
        ),
      ).toEqual(['none', 'none']);
      const unknownYet = introduced('2023-06-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z');
      expect(levels(sut(plan, { service: unknownYet }))).toEqual(['none', 'none']);
    });

    it('counts a corrected introduction from when it was recorded, not before', () => {
      const corrected = aService({
        recordedAt: '2024-01-05T00:00:00.000Z',
        introductions: [
          anIntroduction('2024-01-10T00:00:00.000Z', '2024-01-05T00:00:00.000Z'),
          anIntroduction('2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'),
        ],
        capabilityChanges: [aFact('ready', '2024-01-10T00:00:00.000Z', '2024-01-05T00:00:00.000Z')],
      });
      const at = ms('2024-03-15T00:00:00Z');
      expect(levels(sut(plan, { service: corrected, at, asOf: ms('2024-03-31T23:59:59.999Z') }))).toEqual([
        'none',
        'none',
      ]);
      expect(
        sut(plan, { service: corrected, at, asOf: ms('2024-04-01T00:00:00Z') }).requirements[0],
      ).toMatchObject({
        level: 'enforced',
        since: '2024-03-01T00:00:00.000Z',
        source: { kind: 'rule', rule: 'service-introduced' },
      });
    });

    it('does not fire for a service introduced before the baseline', () => {
      const old = aService({
        introductions: [anIntroduction('2024-01-10T00:00:00.000Z', '2024-01-10T00:00:00.000Z')],
        capabilityChanges: [aFact('ready', '2024-01-10T00:00:00.000Z')],
      });
      expect(levels(sut(plan, { service: old }))).toEqual(['none', 'none']);
    });
  });

  it('explains an equal level by the longest-standing source', () => {
    const plan = aPlan({
      phases: [aPhase({ key: 'late', effective: { at: '2024-03-20T00:00:00Z' } }), aPhase({ key: 'early' })],
    });
    expect(sut(plan).requirements[0].source).toEqual({ kind: 'phase', phase: 'early' });
  });

  describe('governing revision', () => {
    const withRevisions =
      (...revisions: PolicyWithRevisions['revisions']) =>
      (at: string, asOf: string) =>
        resolveRequirements({
          policies: [aPolicyWith(revisions)],
          service: aService(),
          population: 'staff',
          at: ms(at),
          asOf: ms(asOf),
        }).requirements[0];
    const first = aRevision(1, '2024-01-01T00:00:00.000Z', onlyPhase({}));
    const scheduled = aRevision(
      2,
      '2024-06-01T00:00:00.000Z',
      aPlan({ mandatory: { since: '2024-01-01' } }),
      '2024-02-01T00:00:00.000Z',
    );

    it('is the newest with publishAt <= asOf, whatever at is', () => {
      const resolve = withRevisions(first, scheduled);
      expect(resolve('2024-04-01T00:00:00Z', '2024-07-01T00:00:00Z')).toMatchObject({
        revision: 2,
        level: 'expected',
      });
      expect(resolve('2024-04-01T00:00:00Z', '2024-05-01T00:00:00Z')).toMatchObject({
        revision: 1,
        level: 'enforced',
      });
    });

    it('lets a scheduled revision known at asOf govern instants after its publishAt', () => {
      const resolve = withRevisions(first, scheduled);
      expect(resolve('2024-07-01T00:00:00Z', '2024-03-01T00:00:00Z')).toMatchObject({
        revision: 2,
        level: 'expected',
      });
      expect(resolve('2024-07-01T00:00:00Z', '2024-01-15T00:00:00Z')).toMatchObject({
        revision: 1,
        level: 'enforced',
      });
    });
  });

  it('answers for every policy, ordered by policy id', () => {
    const b = aPolicyWith(
      [aRevision(1, '2024-01-01T00:00:00.000Z', onlyPhase({}))],
      aPolicy({ id: 'b-policy', populations: ['all'] }),
    );
    const a = aPolicyWith(
      [aRevision(1, '2024-01-01T00:00:00.000Z', aPlan())],
      aPolicy({ id: 'a-policy', populations: ['all'] }),
    );
    const result = resolveRequirements({ policies: [b, a], service: aService(), at: APRIL, asOf: APRIL });
    expect(result.requirements.map((r) => `${r.policy}:${r.level}`)).toEqual([
      'a-policy:none',
      'b-policy:enforced',
    ]);
  });

  describe('since: as in force, never before the revision that made it', () => {
    const JUNE = '2024-06-01T00:00:00.000Z';
    const requirement = (revisions: ReturnType<typeof aRevision>[], at: string, asOf = at) =>
      resolveRequirements({
        policies: [aPolicyWith(revisions)],
        service: aService(),
        population: 'staff',
        at: ms(at),
        asOf: ms(asOf),
      }).requirements[0];

    it('dates a phase a revision backdates from its publication, the plan date apart', () => {
      const revisions = [
        aRevision(1, '2024-01-01T00:00:00.000Z', aPlan()),
        aRevision(2, JUNE, onlyPhase({})),
      ];
      expect(requirement(revisions, '2024-07-01T00:00:00.000Z')).toMatchObject({
        revision: 2,
        level: 'enforced',
        since: JUNE,
        plannedSince: MARCH,
      });
    });

    it('keeps the date of a phase carried over from the revision it replaced', () => {
      const revisions = [
        aRevision(1, '2024-01-01T00:00:00.000Z', onlyPhase({})),
        aRevision(2, JUNE, onlyPhase({ title: 'renamed' })),
      ];
      expect(requirement(revisions, '2024-07-01T00:00:00.000Z')).toMatchObject({
        revision: 2,
        since: MARCH,
        plannedSince: MARCH,
      });
    });

    it('dates from the takeover when the level was the same but from another phase', () => {
      const revisions = [
        aRevision(1, '2024-01-01T00:00:00.000Z', onlyPhase({})),
        aRevision(2, JUNE, onlyPhase({ key: 'p2' })),
      ];
      expect(requirement(revisions, '2024-07-01T00:00:00.000Z')).toMatchObject({
        source: { kind: 'phase', phase: 'p2' },
        since: JUNE,
        plannedSince: MARCH,
      });
    });

    it("gives the plan's view for an instant before the revision took over", () => {
      const revisions = [
        aRevision(1, '2024-01-01T00:00:00.000Z', aPlan()),
        aRevision(2, JUNE, onlyPhase({})),
      ];
      expect(requirement(revisions, '2024-04-01T00:00:00.000Z', '2024-07-01T00:00:00.000Z')).toMatchObject({
        since: MARCH,
        plannedSince: MARCH,
      });
    });
  });
});
