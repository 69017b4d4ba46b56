import fc from 'fast-check';
import { type AdoptionSnapshot, type Gate, evaluateGate, evaluateGates, parseDataAge } from './adoption';
import { ms } from './testing/factories';

const HOUR = 3_600_000;
const studentsGate: Gate = { population: 'students', metric: 'registered', atLeast: 0.95 };

let next = 0;
function aSnapshot(
  asOf: string,
  registered: number,
  overrides: Partial<AdoptionSnapshot> = {},
): AdoptionSnapshot {
  next += 1;
  return {
    id: `s${next}`,
    population: 'students',
    asOf: ms(asOf),
    recordedAt: ms(asOf),
    eligible: 100,
    registered,
    covered: registered,
    exempt: 0,
    ...overrides,
  };
}

describe(evaluateGate.name, () => {
  const at = ms('2024-05-01T00:00:00Z');

  it('fails at 94 % against 95 %, naming the value and the snapshot', () => {
    const snapshot = aSnapshot('2024-04-30T12:00:00Z', 94);
    const sut = evaluateGate(studentsGate, [snapshot], at);
    expect(sut).toMatchObject({ outcome: 'fail', reason: 'below-threshold', value: 0.94, atLeast: 0.95 });
    expect(sut.snapshotIds).toEqual([snapshot.id]);
  });

  it('passes at 96 %', () => {
    expect(evaluateGate(studentsGate, [aSnapshot('2024-04-30T12:00:00Z', 96)], at).outcome).toBe('pass');
  });

  it('is inconclusive without a snapshot, or with one 50 hours old against the 48 h default', () => {
    expect(evaluateGate(studentsGate, [], at)).toMatchObject({
      outcome: 'inconclusive',
      reason: 'no-snapshot',
    });
    const old = aSnapshot('2024-04-28T22:00:00Z', 99);
    expect(evaluateGate(studentsGate, [old], at)).toMatchObject({
      outcome: 'inconclusive',
      reason: 'stale-snapshot',
    });
    expect(evaluateGate({ ...studentsGate, maxDataAge: '3d' }, [old], at).outcome).toBe('pass');
  });

  it('ignores snapshots recorded after the instant evaluated, and other populations', () => {
    const late = aSnapshot('2024-04-30T12:00:00Z', 99, { recordedAt: ms('2024-05-02T00:00:00Z') });
    const staff = aSnapshot('2024-04-30T12:00:00Z', 99, { population: 'staff' });
    expect(evaluateGate(studentsGate, [late, staff], at).reason).toBe('no-snapshot');
  });

  it('is inconclusive when eligible jumped by more than the set share', () => {
    const before = aSnapshot('2024-04-29T12:00:00Z', 96);
    const after = aSnapshot('2024-04-30T12:00:00Z', 200, { eligible: 200 });
    expect(evaluateGate(studentsGate, [before, after], at)).toMatchObject({
      outcome: 'inconclusive',
      reason: 'eligible-jump',
    });
  });

  it('reads the share of eligible minus exempt, covered when asked', () => {
    const snapshot = aSnapshot('2024-04-30T12:00:00Z', 90, { exempt: 5, covered: 93 });
    expect(evaluateGate(studentsGate, [snapshot], at).value).toBeCloseTo(90 / 95);
    expect(evaluateGate({ ...studentsGate, metric: 'covered' }, [snapshot], at).outcome).toBe('pass');
  });

  it('with forDays, needs every snapshot of the window and the one before it to meet the threshold', () => {
    const gate = { ...studentsGate, forDays: 3 };
    const low = aSnapshot('2024-04-27T12:00:00Z', 90);
    const high = [28, 29, 30].map((day) => aSnapshot(`2024-04-${day}T12:00:00Z`, 97));
    expect(evaluateGate(gate, [low, ...high], at).outcome).toBe('fail');
    const earlyHigh = aSnapshot('2024-04-27T12:00:00Z', 97);
    expect(evaluateGate(gate, [earlyHigh, ...high], at).outcome).toBe('pass');
    expect(evaluateGate(gate, high, at)).toMatchObject({ outcome: 'fail', reason: 'not-held-long-enough' });
  });
});

describe(evaluateGates.name, () => {
  const snapshotArb = fc.record({
    id: fc.uuid(),
    population: fc.constantFrom('students', 'staff'),
    asOf: fc.integer({ min: 0, max: 20 * 24 }).map((h) => h * HOUR),
    recordedAt: fc.integer({ min: 0, max: 20 * 24 }).map((h) => h * HOUR),
    eligible: fc.integer({ min: 0, max: 1000 }),
    registered: fc.integer({ min: 0, max: 1000 }),
    covered: fc.integer({ min: 0, max: 1000 }),
    exempt: fc.integer({ min: 0, max: 50 }),
  });
  const gateArb = fc.record(
    {
      population: fc.constantFrom('students', 'staff'),
      metric: fc.constantFrom('registered' as const, 'covered' as const),
      atLeast: fc.double({ min: 0, max: 1, noNaN: true }),
      forDays: fc.integer({ min: 0, max: 5 }),
      maxDataAge: fc.constantFrom('24h', '48h', '3d'),
    },
    { requiredKeys: ['population', 'metric', 'atLeast'] },
  );
  const atArb = fc.integer({ min: 0, max: 22 * 24 }).map((h) => h * HOUR);

  it('is a pure function of the snapshots and the clock: order and later snapshots do not matter', () => {
    fc.assert(
      fc.property(
        fc.array(gateArb, { minLength: 1, maxLength: 3 }),
        fc.array(snapshotArb),
        atArb,
        (gates, snaps, at) => {
          const sut = evaluateGates(gates, snaps, at);
          expect(evaluateGates(gates, [...snaps].reverse(), at)).toEqual(sut);
          const future = snaps.map((s) => ({ ...s, id: `${s.id}-later`, recordedAt: at + 1 }));
          expect(evaluateGates(gates, [...snaps, ...future], at)).toEqual(sut);
        },
      ),
    );
  });

  it('passes only when every gate passes, and every pass meets its threshold', () => {
    fc.assert(
      fc.property(
        fc.array(gateArb, { minLength: 1, maxLength: 3 }),
        fc.array(snapshotArb),
        atArb,
        (gates, snaps, at) => {
          const sut = evaluateGates(gates, snaps, at);
          expect(sut.outcome === 'pass').toBe(sut.checks.every((c) => c.outcome === 'pass'));
          for (const c of sut.checks.filter((c) => c.outcome === 'pass')) {
            expect(c.value).not.toBeNull();
            expect(c.value ?? -1).toBeGreaterThanOrEqual(c.atLeast);
          }
        },
      ),
    );
  });
});

describe(parseDataAge.name, () => {
  it('reads minutes, hours and days, and refuses anything else', () => {
    expect(parseDataAge('48h')).toBe(48 * HOUR);
    expect(parseDataAge('2d')).toBe(48 * HOUR);
    expect(parseDataAge('90m')).toBe(90 * 60_000);
    expect(parseDataAge('0h')).toBeUndefined();
    expect(parseDataAge('48 h')).toBeUndefined();
  });
});
