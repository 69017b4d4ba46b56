import { ChainCheck } from './audit-chain-check';
import { auditEventHash, GENESIS_HASH } from './audit-hash';
import { validChain } from './testing/audit-chain.fixture';
import type { AuditEventRecord } from './audit-event-record';

const check = (
  events: AuditEventRecord[],
  head?: { seq: number; hash: string } | null,
  lastSeq = events.at(-1)?.seq ?? 0,
) => {
  const sut = new ChainCheck();
  for (const event of events) {
    if (!sut.add(event)) {
      break;
    }
  }
  return sut.verdict(head === undefined ? undefined : { head, lastSeq });
};

describe(ChainCheck.name, () => {
  it('accepts an intact chain and reports its head', () => {
    const events = validChain(7);
    expect(check(events, { seq: 7, hash: events[6].hash })).toEqual({
      ok: true,
      checked: 7,
      headSeq: 7,
      headHash: events[6].hash,
    });
  });

  it('accepts the empty chain at genesis', () => {
    expect(check([], { seq: 0, hash: GENESIS_HASH })).toEqual({
      ok: true,
      checked: 0,
      headSeq: 0,
      headHash: GENESIS_HASH,
    });
  });

  it('names the seq of an event whose content was edited', () => {
    const events = validChain(6);
    events[3] = { ...events[3], reason: 'edited afterwards' };
    expect(check(events)).toMatchObject({ ok: false, firstBadSeq: 4, checked: 3 });
  });

  it('catches a forger who re-hashes the edited event at the next link', () => {
    const events = validChain(6);
    const { hash: _old, ...fields } = { ...events[2], resourceId: 'someone-else' };
    events[2] = { ...fields, hash: auditEventHash(fields) };
    expect(check(events)).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      reason: expect.stringContaining('prevHash'),
    });
  });

  it('names a missing event by its seq', () => {
    const events = validChain(5);
    events.splice(2, 1);
    expect(check(events)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'event 3 is missing' });
  });

  it('refuses events out of order', () => {
    const events = validChain(4);
    [events[1], events[2]] = [events[2], events[1]];
    expect(check(events)).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('refuses a chain that does not start from genesis', () => {
    const events = validChain(3);
    events[0] = { ...events[0], prevHash: 'f'.repeat(64) };
    expect(check(events)).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('fails when the head row is ahead of the last event (events cut off the end)', () => {
    const events = validChain(5);
    expect(check(events.slice(0, 3), { seq: 5, hash: events[4].hash })).toMatchObject({
      ok: false,
      firstBadSeq: 4,
    });
  });

  it("fails when the head row's hash is not the last event's", () => {
    const events = validChain(3);
    expect(check(events, { seq: 3, hash: 'a'.repeat(64) })).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('fails when the head row is missing, after the last event', () => {
    expect(check(validChain(4), null)).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      reason: expect.stringContaining('head row (audit_head) is missing'),
    });
  });

  it('fails when events lie beyond the head row (the head was moved back)', () => {
    const events = validChain(5);
    expect(check(events.slice(0, 3), { seq: 3, hash: events[2].hash }, 5)).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      reason: 'event 4 lies beyond the head row (at 3)',
    });
  });
});
