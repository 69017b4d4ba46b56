import { STATUS_CODES } from 'node:http';
import { ErrorCode } from '@stepwise/common/domain-error';

/** The one error shape: `{ statusCode, error, message, code }`; every error carries a code. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: string;
  errorId?: string;
  fields?: { field: string; message: string }[];
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.CsrfTokenInvalid]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.RequestTimeout]: 408,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.Duplicate]: 409,
  [ErrorCode.WrongState]: 409,
  [ErrorCode.StaleBase]: 409,
  [ErrorCode.PreconditionFailed]: 412,
  [ErrorCode.BodyTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.PreconditionRequired]: 428,
  [ErrorCode.Throttled]: 429,
  [ErrorCode.Unexpected]: 500,
  [ErrorCode.DependencyDown]: 503,
};

/**
 * The code of a refusal that names none (Nest's and Fastify's own exceptions): the one the API
 * gives for that status, so a client branches on `code` for every error, never on the status alone.
 */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: ErrorCode.Validation,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: ErrorCode.NotFound,
  408: ErrorCode.RequestTimeout,
  409: ErrorCode.Conflict,
  412: ErrorCode.PreconditionFailed,
  413: ErrorCode.BodyTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  422: ErrorCode.IdempotencyKeyReused,
  428: ErrorCode.PreconditionRequired,
  429: ErrorCode.Throttled,
  503: ErrorCode.DependencyDown,
};

export const codeForStatus = (statusCode: number): string =>
  CODE_BY_STATUS[statusCode] ?? (statusCode >= 500 ? ErrorCode.Unexpected : ErrorCode.Validation);

export const errorBody = (
  statusCode: number,
  message: string,
  extra: Partial<ErrorBody> = {},
): ErrorBody => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
  ...extra,
  code: extra.code ?? codeForStatus(statusCode),
});
