import { DateTime } from 'luxon';
import type { FieldError } from './field-error';

// Dates are read with Luxon in an explicit zone; inside the domain every instant is epoch
// milliseconds so comparisons are cheap (resolution runs for thousands of services at once).

export type DateParse = { ok: true; ms: number } | { ok: false; message: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T(\d{2}):\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;

const INSTANT_MESSAGE = 'must be an ISO 8601 instant with an offset or Z, e.g. 2024-03-01T09:00:00+09:00';
const NO_OFFSET_MESSAGE =
  'is a date-time without an offset; add Z or an offset such as +09:00 (it is never guessed)';

function fromLuxon(dateTime: DateTime, value: string): DateParse {
  if (!dateTime.isValid) {
    return { ok: false, message: `'${value}' is not a real date or time` };
  }
  return { ok: true, ms: dateTime.toMillis() };
}

/** An ISO instant; the offset (or Z) is required. */
export function parseInstant(value: string): DateParse {
  const match = INSTANT.exec(value);
  if (match === null) {
    return { ok: false, message: LOCAL_DATE_TIME.test(value) ? NO_OFFSET_MESSAGE : INSTANT_MESSAGE };
  }
  // Luxon reads T24:00 as the next midnight; refuse it rather than shift the day.
  if (Number(match[1]) > 23) {
    return { ok: false, message: `'${value}' is not a real date or time` };
  }
  return fromLuxon(DateTime.fromISO(value, { setZone: true }), value);
}

/** `YYYY-MM-DD` as midnight in `zone` (Luxon moves a midnight lost to DST to the first valid instant). */
export function parseDateOnly(value: string, zone: string): DateParse {
  if (!DATE_ONLY.test(value)) {
    return { ok: false, message: 'must be a date YYYY-MM-DD' };
  }
  return fromLuxon(DateTime.fromISO(value, { zone }), value);
}

/** A date (midnight in `zone`) or an instant with an offset; a date-time without offset is refused. */
export function parseDateOrInstant(value: string, zone: string): DateParse {
  if (DATE_ONLY.test(value)) {
    return parseDateOnly(value, zone);
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    return parseInstant(value);
  }
  return { ok: false, message: 'must be a date YYYY-MM-DD or an ISO 8601 instant with an offset or Z' };
}

/**
 * A query parameter such as `at` or `asOf`: an instant with offset, or a bare date read
 * in `zone`. The error names the parameter.
 */
export function parseInstantParam(
  value: string,
  field: string,
  zone = 'UTC',
): { ok: true; ms: number } | { ok: false; error: FieldError } {
  const parsed = parseDateOrInstant(value.trim(), zone);
  return parsed.ok ? parsed : { ok: false, error: { field, message: parsed.message } };
}

/** A tentative target: `YYYY-MM` or a date. Returns the value unchanged when well formed. */
export function parseTentative(value: string): { ok: true; value: string } | { ok: false; message: string } {
  const month = YEAR_MONTH.exec(value);
  if (month !== null) {
    const monthNumber = Number(month[2]);
    if (monthNumber < 1 || monthNumber > 12) {
      return { ok: false, message: `'${value}' is not a real month` };
    }
    return { ok: true, value };
  }
  if (DATE_ONLY.test(value)) {
    const date = parseDateOnly(value, 'UTC');
    return date.ok ? { ok: true, value } : date;
  }
  return { ok: false, message: 'must be a month YYYY-MM or a date YYYY-MM-DD' };
}

/** Start of a tentative target in `zone`, used only to order tentative entries. */
export function tentativeStartMs(value: string, zone: string): number {
  const text = YEAR_MONTH.test(value) ? `${value}-01` : value;
  return DateTime.fromISO(text, { zone }).toMillis();
}

const STORED_CACHE = new Map<string, number>();
const CACHE_LIMIT = 4096;

/**
 * An instant the system stored itself (ServiceFacts, PublishedRevision): ISO with an
 * offset. Uses Date.parse after a format check because it is an order of magnitude
 * faster than Luxon and the offset makes it unambiguous; the same strings recur across
 * thousands of services, so results are cached (bounded). Throws on a malformed value.
 */
export function storedInstantMs(value: string): number {
  const cached = STORED_CACHE.get(value);
  if (cached !== undefined) {
    return cached;
  }
  const ms = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new Error(`stored instant '${value}' is not an ISO instant with an offset`);
  }
  if (STORED_CACHE.size >= CACHE_LIMIT) {
    STORED_CACHE.clear();
  }
  STORED_CACHE.set(value, ms);
  return ms;
}

// Resolution prints the same few instants (phase dates, publishAt) for thousands of
// services; formatting dominates otherwise. Bounded: cleared when full.
const ISO_CACHE = new Map<number, string>();

/** UTC ISO 8601 with milliseconds and Z (Date#toISOString is always UTC). */
export function toIso(ms: number): string {
  let iso = ISO_CACHE.get(ms);
  if (iso === undefined) {
    iso = new Date(ms).toISOString();
    if (ISO_CACHE.size >= CACHE_LIMIT) {
      ISO_CACHE.clear();
    }
    ISO_CACHE.set(ms, iso);
  }
  return iso;
}

export function toIsoOrNull(ms: number | null): string | null {
  return ms === null ? null : toIso(ms);
}

/**
 * An instant for a message a person reads, in the zone the dates around it were written in, with
 * its offset and the zone's name: a Tokyo date echoed as `…T15:00:00.000Z` reads as another day.
 */
export function toZonedText(ms: number, zone: string): string {
  const local = DateTime.fromMillis(ms, { zone });
  return `${local.toISO({ suppressMilliseconds: true }) ?? toIso(ms)} (${zone})`;
}
