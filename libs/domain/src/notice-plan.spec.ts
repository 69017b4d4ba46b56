import { DateTime } from 'luxon';
import { compilePolicy } from './compiled-plan';
import { compileService } from './compiled-service';
import { DEFAULT_NOTICE_SETTINGS, type PlannedNotice, noticeKey, planNotices } from './notice-plan';
import { reconcileNotices } from './notice-supersession';
import type { Phase } from './plan.types';
import { aPhase, aPlan, aPolicy, aPolicyWith, aRevision, aService, ms } from './testing/factories';

const TOKYO = 'Asia/Tokyo';
const jst = (iso: string) => DateTime.fromISO(iso, { zone: TOKYO }).toMillis();
const asJst = (value: number) => DateTime.fromMillis(value, { zone: TOKYO }).toFormat("yyyy-MM-dd'T'HH:mm");

function sut(phases: Phase[], now: number, settings = DEFAULT_NOTICE_SETTINGS): PlannedNotice[] {
  const policy = aPolicyWith(
    [aRevision(1, '2026-01-01T00:00:00.000Z', aPlan({ phases }))],
    aPolicy({ timezone: TOKYO }),
  );
  return planNotices(compilePolicy(policy), compileService(aService()), settings, now);
}

const april = aPhase({ key: 'step-1', effective: { at: '2027-04-01' } });

describe(planNotices.name, () => {
  it('plans a phase on 2027-04-01 in Tokyo at 30, 7 and 1 days, 09:00 JST, one notice for all populations', () => {
    const notices = sut([april], jst('2027-01-10T12:00'));
    expect(notices.map((notice) => [notice.leadDays, asJst(notice.dueAt)])).toEqual([
      [30, '2027-03-02T09:00'],
      [7, '2027-03-25T09:00'],
      [1, '2027-03-31T09:00'],
    ]);
    expect(notices[0]).toMatchObject({
      kind: 'upcoming',
      transitionAt: jst('2027-04-01T00:00'),
      level: 'enforced',
      fromLevel: 'none',
      cause: 'phase:step-1',
      populations: ['staff', 'students'],
      revision: 1,
    });
  });

  it('sends the nearest lead already past at once, and the later ones at their time', () => {
    const now = jst('2027-03-27T15:00');
    expect(sut([april], now).map((notice) => [notice.leadDays, notice.dueAt, notice.passed])).toEqual([
      [1, jst('2027-03-31T09:00'), false],
      [30, now, true],
      [7, now, false],
    ]);
  });

  it('honours the policy settings and plans nothing for a transition already past', () => {
    const settings = { leadDays: [14], sendAt: '17:30' };
    expect(sut([april], jst('2027-01-01T00:00'), settings).map((notice) => asJst(notice.dueAt))).toEqual([
      '2027-03-18T17:30',
    ]);
    expect(sut([april], jst('2027-04-02T00:00'))).toEqual([]);
  });

  it('announces a tentative target once, at once, and a suspended phase not at all', () => {
    const now = jst('2027-01-10T12:00');
    const tentative = aPhase({ key: 'step-2', effective: { tentative: '2027-06' } });
    const notices = sut([tentative], now);
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'tentative',
        tentative: '2027-06',
        transitionAt: null,
        leadDays: null,
        dueAt: now,
      }),
    ]);
    expect(sut([{ ...april, state: 'suspended', stateReason: 'not ready' }], now)).toEqual([]);
  });

  it('gives warn its own notices before enforced', () => {
    const warn = aPhase({ key: 'warn', enforcement: 'warn', effective: { at: '2027-03-01' } });
    const levels = sut([warn, april], jst('2027-01-01T00:00')).map(
      (notice) => `${notice.level}:${notice.leadDays}`,
    );
    expect(levels).toEqual(['warn:30', 'warn:7', 'warn:1', 'enforced:30', 'enforced:7', 'enforced:1']);
  });
});

describe(reconcileNotices.name, () => {
  const now = jst('2027-01-10T12:00');
  const asOutbox = (notices: PlannedNotice[]) =>
    notices.map((notice, index) => ({ ...notice, id: String(index + 1) }));

  it('keeps what is still called for', () => {
    const planned = sut([april], now);
    expect(reconcileNotices(asOutbox(planned), planned)).toEqual({ supersede: [], changes: [] });
  });

  it('keeps the notices of lead times that have passed since', () => {
    const planned = asOutbox(sut([april], now));
    expect(reconcileNotices(planned, sut([april], jst('2027-03-31T10:00')))).toEqual({
      supersede: [],
      changes: [],
    });
  });

  it('supersedes the notices of a moved phase and names the move once', () => {
    const before = asOutbox(sut([april], now));
    const after = sut([{ ...april, effective: { at: '2027-05-01' } }], now);
    const result = reconcileNotices(before, after);
    expect(result.supersede).toEqual(['1', '2', '3']);
    expect(result.changes).toEqual([
      expect.objectContaining({
        kind: 'updated',
        cause: 'phase:step-1',
        previousAt: jst('2027-04-01T00:00'),
        newAt: jst('2027-05-01T00:00'),
        newLevel: 'enforced',
        supersedes: ['1', '2', '3'],
      }),
    ]);
  });

  it('says cancelled when the phase is suspended, and nothing when only a lead time is dropped', () => {
    const before = asOutbox(sut([april], now));
    const suspended = sut([{ ...april, state: 'suspended', stateReason: 'postponed' }], now);
    expect(reconcileNotices(before, suspended).changes).toEqual([
      expect.objectContaining({ kind: 'cancelled', previousAt: jst('2027-04-01T00:00'), newAt: null }),
    ]);
    const fewer = sut([april], now, { leadDays: [7, 1], sendAt: '09:00' });
    const result = reconcileNotices(before, fewer);
    expect(result).toEqual({ supersede: ['1'], changes: [] });
    expect(fewer.map(noticeKey)).not.toContain(noticeKey(before[0]));
  });

  it('calls a tentative target that got its date an update', () => {
    const tentative = aPhase({ key: 'step-1', effective: { tentative: '2027-04' } });
    const before = asOutbox(sut([tentative], now));
    const result = reconcileNotices(before, sut([april], now));
    expect(result.changes).toEqual([
      expect.objectContaining({
        kind: 'updated',
        previousTentative: '2027-04',
        newAt: jst('2027-04-01T00:00'),
      }),
    ]);
    expect(ms('2027-03-31T15:00:00Z')).toBe(jst('2027-04-01T00:00'));
  });
});
