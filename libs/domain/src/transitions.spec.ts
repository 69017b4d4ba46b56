import fc from 'fast-check';
import { evaluatePolicy } from './evaluate';
import { compilePolicy } from './compiled-plan';
import { compileService } from './compiled-service';
import type { Level } from './plan.types';
import { aFact, aPhase, aPlan, aPolicy, aPolicyWith, aRevision, aService, ms } from './testing/factories';
import { DAY, BASE, instantMs, policy, service } from './testing/arbitraries';
import { liveTransitions, nextLiveChangeAt } from './transitions';

const plan = aPlan({
  mandatory: { since: '2024-02-01' },
  phases: [aPhase({ key: 'step', effective: { at: '2024-03-01T00:00:00Z' } })],
});
const policies = [
  aPolicyWith([aRevision(1, '2024-01-15T00:00:00.000Z', plan)], aPolicy({ populations: ['all'] })),
];

describe(liveTransitions.name, () => {
  it('lists each level change in [from, to) with its source and revision', () => {
    const sut = liveTransitions({
      policies,
      service: aService(),
      from: ms('2024-01-01T00:00:00Z'),
      to: ms('2024-12-31T00:00:00Z'),
    });
    expect(sut.map(({ at, from, to, source, revision }) => ({ at, from, to, source, revision }))).toEqual([
      {
        at: '2024-02-01T00:00:00.000Z',
        from: 'none',
        to: 'expected',
        source: { kind: 'statement' },
        revision: 1,
      },
      {
        at: '2024-03-01T00:00:00.000Z',
        from: 'expected',
        to: 'enforced',
        source: { kind: 'phase', phase: 'step' },
        revision: 1,
      },
    ]);
  });

  it('includes from and excludes to, so that adjoining windows list each change once', () => {
    const window = (from: string, to: string) =>
      liveTransitions({ policies, service: aService(), from: ms(from), to: ms(to) }).map((t) => t.at);
    expect(window('2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z')).toEqual(['2024-02-01T00:00:00.000Z']);
    expect(window('2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z')).toEqual(['2024-03-01T00:00:00.000Z']);
    expect(window('2024-02-01T00:00:00.001Z', '2024-03-01T00:00:00Z')).toEqual([]);
  });

  it('applies a fact recorded late from its recordedAt, not its effectiveAt', () => {
    const rules = aPlan({
      standingRules: [{ on: 'mfa-ready', since: '2024-01-01', enforcement: 'enforce' }],
    });
    const late = aService({
      capabilityChanges: [aFact('ready', '2024-03-01T00:00:00.000Z', '2024-03-05T00:00:00.000Z')],
    });
    const sut = liveTransitions({
      policies: [
        aPolicyWith([aRevision(1, '2024-01-01T00:00:00.000Z', rules)], aPolicy({ populations: ['all'] })),
      ],
      service: late,
      from: ms('2024-01-01T00:00:00Z'),
      to: ms('2024-12-31T00:00:00Z'),
    });
    expect(sut.map((transition) => [transition.at, transition.to])).toEqual([
      ['2024-03-05T00:00:00.000Z', 'enforced'],
    ]);
  });

  it('lets a revision take over at its publishAt', () => {
    const second = aRevision(2, '2024-04-01T00:00:00.000Z', aPlan(), '2024-01-20T00:00:00.000Z');
    const sut = liveTransitions({
      policies: [
        aPolicyWith(
          [aRevision(1, '2024-01-15T00:00:00.000Z', plan), second],
          aPolicy({ populations: ['all'] }),
        ),
      ],
      service: aService(),
      from: ms('2024-03-15T00:00:00Z'),
      to: ms('2024-12-31T00:00:00Z'),
    });
    expect(sut).toMatchObject([
      { at: '2024-04-01T00:00:00.000Z', from: 'enforced', to: 'none', revision: 2 },
    ]);
  });

  it('keeps the level constant between consecutive transition instants (property)', () => {
    fc.assert(
      fc.property(
        policy,
        service,
        instantMs,
        fc.array(fc.integer({ min: 0, max: 45 * DAY }), { maxLength: 20 }),
        (source, facts, from, probes) => {
          const to = BASE + 45 * DAY;
          const transitions = liveTransitions({ policies: [source], service: facts, from, to });
          const compiled = compilePolicy(source);
          const compiledService = compileService(facts);
          const live = (t: number) =>
            evaluatePolicy(compiled, compiledService, source.policy.populations, t, t).map((e) => e.level);
          const start = live(from - 1);
          source.policy.populations.forEach((population, index) => {
            const mine = transitions.filter((transition) => transition.population === population);
            // Each transition starts where the previous one ended.
            mine.reduce<Level>((level, transition) => {
              expect(transition.from).toBe(level);
              expect(transition.to).not.toBe(level);
              expect(live(transition.atMs)[index]).toBe(transition.to);
              expect(live(transition.atMs - 1)[index]).toBe(transition.from);
              return transition.to;
            }, start[index]);
            for (const probe of probes.map((offset) => BASE + offset).filter((t) => t >= from && t < to)) {
              const last = mine.filter((transition) => transition.atMs <= probe).at(-1);
              expect(live(probe)[index]).toBe(last === undefined ? start[index] : last.to);
            }
          });
        },
      ),
    );
  });
});

describe(nextLiveChangeAt.name, () => {
  it('is the next instant the live requirements change, or null', () => {
    expect(nextLiveChangeAt({ policies, service: aService(), from: ms('2024-02-10T00:00:00Z') })).toBe(
      ms('2024-03-01T00:00:00Z'),
    );
    expect(nextLiveChangeAt({ policies, service: aService(), from: ms('2024-03-01T00:00:00Z') })).toBeNull();
  });

  it('counts a change only up to `until` when given', () => {
    const from = ms('2024-02-10T00:00:00Z');
    const until = (t: string) => nextLiveChangeAt({ policies, service: aService(), from, until: ms(t) });
    expect(until('2024-02-29T23:59:59.999Z')).toBeNull();
    expect(until('2024-03-01T00:00:00Z')).toBe(ms('2024-03-01T00:00:00Z'));
  });

  it('also reports a revision taking over without changing any level', () => {
    const second = aRevision(2, '2024-04-01T00:00:00.000Z', plan, '2024-01-20T00:00:00.000Z');
    const both = [
      aPolicyWith(
        [aRevision(1, '2024-01-15T00:00:00.000Z', plan), second],
        aPolicy({ populations: ['all'] }),
      ),
    ];
    expect(nextLiveChangeAt({ policies: both, service: aService(), from: ms('2024-03-10T00:00:00Z') })).toBe(
      ms('2024-04-01T00:00:00Z'),
    );
    expect(
      liveTransitions({
        policies: both,
        service: aService(),
        from: ms('2024-03-10T00:00:00Z'),
        to: ms('2024-12-31T00:00:00Z'),
      }),
    ).toEqual([]);
  });
});
