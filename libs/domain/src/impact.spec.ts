import { impactOfDraft } from './impact';
import { aFact, aPhase, aPlan, aPolicy, aRevision, aService, ms } from './testing/factories';

const policy = aPolicy({ populations: ['all'] });
const published = [
  aRevision(
    1,
    '2024-01-01T00:00:00.000Z',
    aPlan({
      mandatory: { since: '2024-01-01' },
      phases: [aPhase({ key: 'vpn', scope: { services: ['vpn'] } })],
    }),
  ),
];
const services = [
  aService({ id: 'vpn' }),
  aService({ id: 'lms', capabilityChanges: [aFact('ready', '2023-06-01T00:00:00.000Z')] }),
];
const now = ms('2024-02-01T00:00:00Z');

describe(impactOfDraft.name, () => {
  it('reports nothing for a draft identical to the active revision', () => {
    expect(
      impactOfDraft({
        policy,
        published,
        draft: { plan: published[0].plan, publishAt: null },
        services,
        now,
      }),
    ).toEqual([]);
  });

  it('reports a new confirmed phase at its instant, from what to what, with the new source', () => {
    const draft = aPlan({
      ...published[0].plan,
      phases: [
        ...published[0].plan.phases,
        aPhase({
          key: 'lms',
          effective: { at: '2024-05-01T00:00:00Z' },
          scope: { selector: { mfaCapability: 'ready' } },
        }),
      ],
    });
    expect(
      impactOfDraft({ policy, published, draft: { plan: draft, publishAt: null }, services, now }),
    ).toEqual([
      {
        service: 'lms',
        population: 'all',
        at: '2024-05-01T00:00:00.000Z',
        from: 'expected',
        to: 'enforced',
        source: { kind: 'phase', phase: 'lms' },
      },
    ]);
  });

  it('reports a suspension at the takeover instant (publishAt)', () => {
    const draft = aPlan({
      mandatory: { since: '2024-01-01' },
      phases: [
        aPhase({ key: 'vpn', scope: { services: ['vpn'] }, state: 'suspended', stateReason: 'outage' }),
      ],
    });
    const publishAt = ms('2024-04-01T00:00:00Z');
    expect(impactOfDraft({ policy, published, draft: { plan: draft, publishAt }, services, now })).toEqual([
      {
        service: 'vpn',
        population: 'all',
        at: '2024-04-01T00:00:00.000Z',
        from: 'enforced',
        to: 'expected',
        source: { kind: 'statement' },
      },
    ]);
  });

  it('reports where a difference starts, and nothing once both timelines agree again', () => {
    const draft = aPlan({ phases: [aPhase({ key: 'vpn', scope: { services: ['vpn'] } })] });
    const publishAt = ms('2024-02-15T00:00:00Z');
    // Without a statement: none instead of expected until the vpn phase enforces on 1 March in both.
    expect(impactOfDraft({ policy, published, draft: { plan: draft, publishAt }, services, now })).toEqual([
      {
        service: 'vpn',
        population: 'all',
        at: '2024-02-15T00:00:00.000Z',
        from: 'expected',
        to: 'none',
        source: { kind: 'none' },
      },
      {
        service: 'lms',
        population: 'all',
        at: '2024-02-15T00:00:00.000Z',
        from: 'expected',
        to: 'none',
        source: { kind: 'none' },
      },
    ]);
  });

  it('reports a difference that changes later as a new entry', () => {
    const draft = aPlan({
      phases: [aPhase({ key: 'vpn', scope: { services: ['vpn'] }, enforcement: 'report-only' })],
    });
    expect(
      impactOfDraft({
        policy,
        published,
        draft: { plan: draft, publishAt: null },
        services: [services[0]],
        now,
      }),
    ).toEqual([
      {
        service: 'vpn',
        population: 'all',
        at: '2024-02-01T00:00:00.000Z',
        from: 'expected',
        to: 'none',
        source: { kind: 'none' },
      },
      {
        service: 'vpn',
        population: 'all',
        at: '2024-03-01T00:00:00.000Z',
        from: 'enforced',
        to: 'report-only',
        source: { kind: 'phase', phase: 'vpn' },
      },
    ]);
  });

  it('compares against the first revision when nothing is published yet', () => {
    const draft = aPlan({ mandatory: { since: '2024-01-01' } });
    expect(
      impactOfDraft({
        policy,
        published: [],
        draft: { plan: draft, publishAt: null },
        services: [services[0]],
        now,
      }),
    ).toEqual([
      {
        service: 'vpn',
        population: 'all',
        at: '2024-02-01T00:00:00.000Z',
        from: 'none',
        to: 'expected',
        source: { kind: 'statement' },
      },
    ]);
  });
});
