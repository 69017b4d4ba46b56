/**
 * Errors the application raises on purpose. Each carries a code; the HTTP layer maps codes to
 * statuses in one place (`apps/api/src/http/error.filter.ts`), the CLI prints the message.
 */
export enum ErrorCode {
  Validation = 'VALIDATION_FAILED',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  /** A console request that changes something without its session's CSRF token. */
  CsrfTokenInvalid = 'CSRF_TOKEN_INVALID',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Duplicate = 'DUPLICATE',
  WrongState = 'WRONG_STATE',
  StaleBase = 'STALE_BASE',
  PreconditionFailed = 'PRECONDITION_FAILED',
  PreconditionRequired = 'PRECONDITION_REQUIRED',
  DependencyDown = 'DEPENDENCY_DOWN',
  /** An Idempotency-Key sent again with a different request. */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  /** Codes of refusals the HTTP layer makes before any route runs (no domain code raises them). */
  RequestTimeout = 'REQUEST_TIMEOUT',
  BodyTooLarge = 'BODY_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  Throttled = 'THROTTLED',
  /** An error nobody expected: logged under the error id the answer gives. */
  Unexpected = 'UNEXPECTED',
}

export interface FieldError {
  field: string;
  message: string;
}

/** What a refusal concerns, when it is more than the route (audited under it). */
export interface RefusedResource {
  type: string;
  id: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
    readonly resource?: RefusedResource,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(errors: readonly FieldError[]): DomainError {
    const message = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return new DomainError(ErrorCode.Validation, message, errors);
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} '${id}' does not exist`);
  }
}
