import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  parseDateOnly,
  parseDateOrInstant,
  parseInstant,
  parseInstantParam,
  parseTentative,
  storedInstantMs,
  tentativeStartMs,
  toIso,
  toZonedText,
} from './dates';

const iso = (result: { ok: true; ms: number } | { ok: false }) => (result.ok ? toIso(result.ms) : 'error');

describe(parseDateOrInstant.name, () => {
  it.each([
    ['2024-03-01', 'Asia/Tokyo', '2024-02-29T15:00:00.000Z'],
    ['2024-03-31', 'Europe/Berlin', '2024-03-30T23:00:00.000Z'],
    ['2024-04-01', 'Europe/Berlin', '2024-03-31T22:00:00.000Z'],
    ['2024-10-27', 'Europe/Berlin', '2024-10-26T22:00:00.000Z'],
    ['2024-10-28', 'Europe/Berlin', '2024-10-27T23:00:00.000Z'],
    ['2024-03-01T09:00:00+09:00', 'Europe/Berlin', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01T00:00Z', 'Asia/Tokyo', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01T00:00:00.123-05:00', 'UTC', '2024-03-01T05:00:00.123Z'],
  ])('reads %s in %s as %s', (value, zone, expected) => {
    expect(iso(parseDateOrInstant(value, zone))).toBe(expected);
  });

  it.each([
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '2024-02-30T00:00:00Z',
    '2024-03-01T24:00:00Z',
    '2024-03-01T10:61Z',
  ])('refuses the impossible %s', (value) => {
    expect(parseDateOrInstant(value, 'UTC')).toEqual({
      ok: false,
      message: expect.stringContaining('not a real'),
    });
  });

  it('refuses a date-time without an offset and says it is never guessed', () => {
    const sut = parseDateOrInstant('2024-03-01T10:00:00', 'Asia/Tokyo');
    expect(sut).toEqual({ ok: false, message: expect.stringContaining('without an offset') });
  });

  it.each(['', 'tomorrow', '2024-3-1', '2024-W01', '1709251200000', '2024-03'])('refuses %p', (value) => {
    expect(parseDateOrInstant(value, 'UTC').ok).toBe(false);
  });

  it('lands every date-only value on local midnight (property, Asia/Tokyo and Europe/Berlin)', () => {
    const dates = fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2090-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(dates, fc.constantFrom('Asia/Tokyo', 'Europe/Berlin'), (date, zone) => {
        const text = date.toISOString().slice(0, 10);
        const sut = parseDateOrInstant(text, zone);
        if (!sut.ok) {
          return false;
        }
        const local = DateTime.fromMillis(sut.ms, { zone });
        return local.toISODate() === text && local.hour === 0 && local.minute === 0 && local.second === 0;
      }),
    );
  });
});

describe(parseInstant.name, () => {
  it('requires an offset even for a date', () => {
    expect(parseInstant('2024-03-01').ok).toBe(false);
  });
});

describe(parseDateOnly.name, () => {
  it('refuses an instant', () => {
    expect(parseDateOnly('2024-03-01T00:00:00Z', 'UTC').ok).toBe(false);
  });
});

describe(parseInstantParam.name, () => {
  it('names the field in its error', () => {
    expect(parseInstantParam('2024-03-01T10:00', 'asOf')).toEqual({
      ok: false,
      error: { field: 'asOf', message: expect.stringContaining('offset') },
    });
  });

  it('reads a bare date in the given zone', () => {
    expect(iso(parseInstantParam('2024-03-01', 'at', 'Asia/Tokyo'))).toBe('2024-02-29T15:00:00.000Z');
  });

  it('reads a bare date as UTC midnight without a zone', () => {
    expect(iso(parseInstantParam('2024-03-01', 'at'))).toBe('2024-03-01T00:00:00.000Z');
  });
});

describe(parseTentative.name, () => {
  it.each(['2024-05', '2024-05-15'])('accepts %s unchanged', (value) => {
    expect(parseTentative(value)).toEqual({ ok: true, value });
  });

  it.each(['2024-13', '2024-00', '2024-02-30', 'May 2024', '2024'])('refuses %s', (value) => {
    expect(parseTentative(value).ok).toBe(false);
  });
});

describe(tentativeStartMs.name, () => {
  it('starts a month at its first midnight in the zone', () => {
    expect(toIso(tentativeStartMs('2024-06', 'Asia/Tokyo'))).toBe('2024-05-31T15:00:00.000Z');
  });
});

describe(storedInstantMs.name, () => {
  it('parses an ISO instant and refuses one without offset', () => {
    expect(storedInstantMs('2024-02-29T15:00:00.000Z')).toBe(Date.UTC(2024, 1, 29, 15));
    expect(() => storedInstantMs('2024-02-29T15:00:00')).toThrow('offset');
  });
});

describe(toIso.name, () => {
  it('prints UTC with milliseconds and Z', () => {
    expect(toIso(Date.UTC(2024, 1, 29, 15))).toBe('2024-02-29T15:00:00.000Z');
  });
});

describe(toZonedText.name, () => {
  it('gives an instant in the zone its dates were written in, with offset and zone name', () => {
    expect(toZonedText(Date.parse('2024-02-29T15:00:00Z'), 'Asia/Tokyo')).toBe(
      '2024-03-01T00:00:00+09:00 (Asia/Tokyo)',
    );
    expect(toZonedText(Date.parse('2024-02-29T15:00:00.250Z'), 'UTC')).toBe('2024-02-29T15:00:00.250Z (UTC)');
  });
});
