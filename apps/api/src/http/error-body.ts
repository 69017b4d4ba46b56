import { STATUS_CODES } from 'node:http';
import { ErrorCode } from '@stepwise/common/domain-error';

/** The one error shape: `{ statusCode, error, message, code? }`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  errorId?: string;
  fields?: { field: string; message: string }[];
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.Validation]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.CsrfTokenInvalid]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.Duplicate]: 409,
  [ErrorCode.WrongState]: 409,
  [ErrorCode.StaleBase]: 409,
  [ErrorCode.PreconditionFailed]: 412,
  [ErrorCode.PreconditionRequired]: 428,
  [ErrorCode.DependencyDown]: 503,
  [ErrorCode.IdempotencyKeyReused]: 422,
};

export const errorBody = (
  statusCode: number,
  message: string,
  extra: Partial<ErrorBody> = {},
): ErrorBody => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
  ...extra,
});
