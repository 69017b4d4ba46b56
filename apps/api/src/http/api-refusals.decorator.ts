import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorDto } from './error.dto';

/** What each refusal means, as every operation's documentation says it. */
export const REFUSALS = {
  400: 'Invalid input (VALIDATION_FAILED): the message and fields name each field',
  401: 'No valid bearer token (UNAUTHENTICATED)',
  403: 'The role or the scope does not allow it (FORBIDDEN; audited as auth.denied)',
  404: 'Unknown id (NOT_FOUND)',
  408: 'The request was not sent in time (REQUEST_TIMEOUT)',
  409: 'A state conflict or a duplicate (CONFLICT, DUPLICATE, WRONG_STATE, STALE_BASE)',
  412: 'Stale If-Match (PRECONDITION_FAILED)',
  413: 'Body over the size limit (BODY_TOO_LARGE)',
  415: 'A content type the route does not read (UNSUPPORTED_MEDIA_TYPE)',
  422: 'An Idempotency-Key sent again with another request (IDEMPOTENCY_KEY_REUSED)',
  428: 'If-Match missing (PRECONDITION_REQUIRED)',
  429: 'Throttled (THROTTLED); Retry-After says when to try again',
  503: 'PostgreSQL or Redis is down (DEPENDENCY_DOWN): nothing was changed',
} as const;

export type RefusalStatus = keyof typeof REFUSALS;

/**
 * The refusals particular to a route, each with the one error shape. Those every API route can
 * give (400, 401, 403, 429, 503; 404 with a path id; 408, 413, 415, 422 on writes) are added to
 * every operation when the document is built (openapi.ts), so routes name only their own.
 */
export const ApiRefusals = (...statuses: RefusalStatus[]): MethodDecorator =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: REFUSALS[status], type: ErrorDto })),
  );
