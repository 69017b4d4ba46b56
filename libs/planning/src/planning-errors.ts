import { QueryFailedError } from 'typeorm';
import { DomainError, ErrorCode, FieldError } from '@stepwise/common/domain-error';
import { parseDateOrInstant } from '@stepwise/domain/dates';

/** PostgreSQL's unique_violation: a concurrent insert of the same id won the race. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: unknown }).code === '23505';
}

export const duplicate = (what: string, id: string): DomainError =>
  new DomainError(ErrorCode.Duplicate, `${what} '${id}' already exists`);

/** Two imports of one file raced: the other one's rows are in, so a retry finds nothing to do. */
export const concurrentImport = (what: string): DomainError =>
  new DomainError(
    ErrorCode.Conflict,
    `a concurrent import of ${what} got there first; retry to see what is left`,
  );

export const wrongState = (message: string): DomainError => new DomainError(ErrorCode.WrongState, message);

/** Errors of a nested reader re-rooted: `services[0].connector.url` → `connector.url`. */
export function rerooted(errors: readonly FieldError[], prefix: string): FieldError[] {
  return errors.map((error) => {
    const field = error.field.startsWith(prefix)
      ? error.field.slice(prefix.length).replace(/^\./, '')
      : error.field;
    return { field: field === '' ? '(body)' : field, message: error.message };
  });
}

/** A date (midnight in `zone`) or an instant with an offset, as a Date; 400 naming `field` otherwise. */
export function readInstantField(value: string, field: string, zone: string): Date {
  const parsed = parseDateOrInstant(value, zone);
  if (!parsed.ok) {
    throw DomainError.validation([{ field, message: parsed.message }]);
  }
  return new Date(parsed.ms);
}
