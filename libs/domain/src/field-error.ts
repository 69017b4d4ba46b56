/** A validation failure that names the offending field by its path, e.g. `phases[2].effective.at`. */
export interface FieldError {
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Thrown by callers that prefer exceptions; the HTTP layer maps `code` to 400. */
export class DomainValidationError extends Error {
  readonly code = 'validation-failed';

  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => `${error.field}: ${error.message}`).join('; '));
    this.name = DomainValidationError.name;
  }
}

/** `joinPath('phases[0]', 'key')` → `phases[0].key`; an empty base yields the bare name. */
export function joinPath(base: string, name: string): string {
  return base === '' ? name : `${base}.${name}`;
}

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** Error paths of a nested validator, re-rooted under `prefix`. */
export function prefixErrors(prefix: string, errors: readonly FieldError[]): FieldError[] {
  return errors.map((error) => ({
    field: error.field === '' ? prefix : joinPath(prefix, error.field),
    message: error.message,
  }));
}
