import { DateTime } from 'luxon';
import type { Level, RulesDocument } from '@stepwise/connector';
import { FixedClock } from '@stepwise/common/clock';
import { FakeGraph } from '../../testing/fake-graph';
import { EntraCaAdapter, policyStateFor } from './entra-ca.adapter';
import { GraphClient, resetGraphPacing } from './graph-client';

const doc = (generation: number, students: Level, staff: Level): RulesDocument => ({
  service: 'utas',
  generation,
  hash: `sha256:${generation}`,
  computedAt: '2026-12-08T00:00:00.000Z',
  rules: [
    {
      policy: 'mfa',
      revision: 1,
      population: 'students',
      level: students,
      since: null,
      source: { kind: 'phase' },
    },
    {
      policy: 'mfa',
      revision: 1,
      population: 'faculty-staff',
      level: staff,
      since: null,
      source: { kind: 'phase' },
    },
  ],
  nextChangeAt: null,
});

describe(EntraCaAdapter.name, () => {
  const graph = new FakeGraph();
  const clock = new FixedClock(DateTime.fromISO('2026-12-08T00:00:00Z', { zone: 'utc' }));
  /** Waits asked for (ms): the clock moves by them, so pacing is checked without waiting. */
  const waits: number[] = [];
  let sut: EntraCaAdapter;

  beforeAll(() => graph.start());
  afterAll(() => graph.close());
  beforeEach(() => {
    resetGraphPacing();
    waits.length = 0;
    graph.requests.length = 0;
    const config = {
      type: 'entra-ca' as const,
      tenantId: 'contoso',
      clientId: 'agent-app',
      clientSecret: 'secret',
      applicationId: '00000000-0000-0000-0000-00000000a11e',
      groups: { students: 'group-students', 'faculty-staff': 'group-staff' },
      displayNamePrefix: 'Stepwise',
      graphUrl: `${graph.origin}/v1.0`,
      loginUrl: graph.origin,
    };
    const client = new GraphClient({
      ...config,
      clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock.set(clock.now().plus({ milliseconds: ms }));
      },
    });
    sut = new EntraCaAdapter(config, clock, client);
  });

  it('maps levels to policy states: enforced enabled, report-only reporting, anything else disabled', () => {
    expect(policyStateFor('enforced')).toBe('enabled');
    expect(policyStateFor('report-only')).toBe('enabledForReportingButNotEnforced');
    for (const level of ['warn', 'expected', 'none']) {
      expect(policyStateFor(level)).toBe('disabled');
    }
  });

  it('creates one policy per (application, population group) in the shape Graph documents', async () => {
    await sut.apply(doc(1, 'enforced', 'report-only'));
    const created = [...graph.policies.values()].map(({ displayName, state, conditions }) => ({
      displayName,
      state,
      conditions,
    }));
    expect(created).toEqual([
      {
        displayName: 'Stepwise utas students',
        state: 'enabled',
        conditions: {
          clientAppTypes: ['all'],
          applications: { includeApplications: ['00000000-0000-0000-0000-00000000a11e'] },
          users: { includeGroups: ['group-students'] },
        },
      },
      expect.objectContaining({
        displayName: 'Stepwise utas faculty-staff',
        state: 'enabledForReportingButNotEnforced',
      }),
    ]);
    expect(graph.requests.every((request) => request.authorization === 'Bearer fake-graph-token')).toBe(true);
  });

  it('is idempotent: the same levels write nothing; a changed level patches only its policy', async () => {
    await sut.apply(doc(1, 'enforced', 'report-only'));
    graph.requests.length = 0;
    await sut.apply(doc(2, 'enforced', 'report-only'));
    expect(graph.requests.map((request) => request.method)).toEqual(['GET']);
    await sut.apply(doc(3, 'enforced', 'enforced'));
    expect(graph.requests.map((request) => request.method)).toEqual(['GET', 'GET', 'PATCH']);
    expect(graph.requests[2].body).toEqual({ state: 'enabled' });
    expect([...graph.policies.values()].map((policy) => policy.state)).toEqual(['enabled', 'enabled']);
  });

  it('sends at most one request per second to a tenant, and waits out a 429 Retry-After', async () => {
    graph.throttle = { count: 1, retryAfterSeconds: 7 };
    await sut.apply(doc(4, 'none', 'none'));
    // GET (429), wait 7 s, GET, then the two writes: each a second after the one before at least.
    expect(graph.requests.map((request) => request.method)).toEqual(['GET', 'GET', 'PATCH', 'PATCH']);
    expect(waits[0]).toBe(7_000);
    expect(waits.slice(1)).toEqual([1_000, 1_000]);
    expect([...graph.policies.values()].map((policy) => policy.state)).toEqual(['disabled', 'disabled']);
  });

  it('fails the apply with the message of Graph when it keeps refusing', async () => {
    graph.throttle = { count: 6, retryAfterSeconds: 1 };
    await expect(sut.apply(doc(5, 'enforced', 'enforced'))).rejects.toThrow(/429 Too many requests/);
    graph.throttle = { count: 0, retryAfterSeconds: 1 };
  });
});
