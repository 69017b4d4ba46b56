import { compilePolicies } from './compiled-plan';
import { compileService } from './compiled-service';
import { serviceTimeline } from './timeline';
import { loadSeed, tokyo } from './testing/seed';

const seed = loadSeed();
const policies = compilePolicies([seed.policy]);
const service = (id: string) => {
  const facts = seed.services.get(id);
  if (!facts) {
    throw new Error(`no seeded service ${id}`);
  }
  return compileService(facts);
};
const window = (asOf: string | null) => ({
  from: tokyo('2024-01-01'),
  to: tokyo('2025-12-01'),
  asOf: asOf === null ? null : tokyo(asOf),
  now: tokyo('2026-12-07'),
});
const simple = (bands: { from: number; level: string; source: { kind: string } }[]) =>
  bands.map((band) => [new Date(band.from).toISOString(), band.level, band.source.kind]);

describe(serviceTimeline.name, () => {
  it('draws the live VPN as nothing until the plan was published, then enforced by step 1', () => {
    const sut = serviceTimeline(policies, service('utokyo-vpn'), window(null));
    const staff = sut.lanes.find((lane) => lane.population === 'faculty-staff');
    expect(simple(staff?.bands ?? [])).toEqual([
      ['2023-12-31T15:00:00.000Z', 'none', 'none'],
      ['2024-02-27T15:00:00.000Z', 'enforced', 'phase'],
      // Revision 2 takes over on 2024-08-29 and keeps step 1: same level, a band of its own.
      ['2024-08-28T15:00:00.000Z', 'enforced', 'phase'],
    ]);
    // Step 1 dates itself "as of February 2024": the band says so while starting at publication.
    expect(staff?.bands[1]).toMatchObject({
      since: tokyo('2024-02-01'),
      revision: 1,
      to: tokyo('2024-08-29'),
    });
    expect(staff?.bands[2]).toMatchObject({ revision: 2, to: tokyo('2025-12-01') });
    // Step 3 (all MFA-ready systems) covers the VPN too; revision 2 suspended it.
    expect(sut.marks.map((mark) => [mark.phase, mark.state])).toEqual([['step-3', 'suspended']]);
  });

  it('marks UTAS step 4 suspended with its reason in the plan as it stands, raising nothing', () => {
    const sut = serviceTimeline(policies, service('utas'), window(null));
    expect(sut.lanes.map((lane) => lane.bands.map((band) => band.level))).toEqual([
      ['none', 'expected', 'expected'],
      ['none', 'expected', 'expected'],
    ]);
    expect(sut.marks).toHaveLength(1);
    expect(sut.marks[0]).toMatchObject({
      phase: 'step-4',
      state: 'suspended',
      revision: 2,
      tentative: '2024-06',
    });
    expect(sut.marks[0].stateReason).toMatch(/decided not to/);
  });

  it('as of 2024-03-15 shows UTAS step 4 as the tentative "around June 2024" of revision 1', () => {
    const sut = serviceTimeline(policies, service('utas'), window('2024-03-15'));
    expect(sut.marks).toEqual([
      expect.objectContaining({
        phase: 'step-4',
        state: 'active',
        tentative: '2024-06',
        drawAt: tokyo('2024-06-01'),
      }),
    ]);
    // As known then, the statement held from 2024-02-28 for every instant after it.
    expect(simple(sut.lanes[0].bands).map(([, level]) => level)).toEqual(['none', 'expected']);
  });

  it('lets the Wi-Fi menu become enforced on 1 March 2024 (step 2), for every population', () => {
    const sut = serviceTimeline(policies, service('utokyo-wifi-account-menu'), window(null));
    for (const lane of sut.lanes) {
      expect(lane.bands.map((band) => [band.from, band.level])).toContainEqual([
        tokyo('2024-03-01'),
        'enforced',
      ]);
    }
  });

  it('covers the window with contiguous bands, each unlike the one before', () => {
    for (const id of seed.services.keys()) {
      for (const asOf of [null, '2024-03-15', '2024-09-01']) {
        const w = window(asOf);
        for (const lane of serviceTimeline(policies, service(id), w).lanes) {
          expect(lane.bands[0].from).toBe(w.from);
          expect(lane.bands[lane.bands.length - 1].to).toBe(w.to);
          lane.bands.slice(1).forEach((band, index) => {
            const previous = lane.bands[index];
            expect(band.from).toBe(previous.to);
            expect([band.level, band.source, band.revision]).not.toEqual([
              previous.level,
              previous.source,
              previous.revision,
            ]);
          });
        }
      }
    }
  });
});
