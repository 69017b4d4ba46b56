import type { AuditEventRecord } from './audit-event-record';

/** Columns of the CSV export: the NDJSON fields, `actor` flattened, `before`/`after` as JSON text. */
export const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actor.id',
  'actor.name',
  'actor.role',
  'action',
  'resourceType',
  'resourceId',
  'before',
  'after',
  'reason',
  'requestId',
  'outcome',
  'prevHash',
  'hash',
] as const;

const NEEDS_QUOTES = /[",\r\n]/;
// A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection", OWASP):
// a token named `=HYPERLINK(…)` would act when an auditor opens the export.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled. Text that
 * a spreadsheet would take for a formula gets a leading `'` (OWASP's advice), so it shows as
 * typed; the NDJSON export carries the exact values that the hashes cover.
 */
const field = (value: string | number | null): string => {
  if (value === null) {
    return '';
  }
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

/** One CSV record (CRLF-terminated, as RFC 4180 has it). NULL is an empty field. */
export const toCsvRow = (event: AuditEventRecord): string =>
  `${[
    event.seq,
    event.occurredAt,
    event.actor.id,
    event.actor.name,
    event.actor.role,
    event.action,
    event.resourceType,
    event.resourceId,
    json(event.before),
    json(event.after),
    event.reason,
    event.requestId,
    event.outcome,
    event.prevHash,
    event.hash,
  ]
    .map(field)
    .join(',')}\r\n`;
