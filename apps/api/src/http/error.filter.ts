import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply } from 'fastify';
import { AuditLog } from '@stepwise/audit/audit-log';
import { DomainError, ErrorCode, type RefusedResource } from '@stepwise/common/domain-error';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { BEARER_CHALLENGE } from '../auth/bearer';
import { AuthenticatedRequest, requestIdOf } from '../auth/request-context';
import { DatabaseEndpoint, databaseEndpoint, isDatabaseDown } from './database-down';
import { codeForStatus, ErrorBody, errorBody, STATUS_BY_CODE } from './error-body';

/** Fastify's own errors (body too large, malformed JSON, bad content type) carry a status. */
interface StatusError {
  statusCode: number;
  message: string;
  code?: string;
}
const isStatusError = (e: unknown): e is StatusError =>
  e instanceof Error && typeof (e as Partial<StatusError>).statusCode === 'number';

/** ioredis refuses at once while Redis is down (the API's producer has no offline queue). */
const isRedisDown = (e: unknown): boolean =>
  e instanceof Error &&
  (e.name === 'MaxRetriesPerRequestError' ||
    /enableOfflineQueue|Connection is closed|ECONNREFUSED/.test(e.message));

/** Maps every error to the one error shape; an unexpected one is logged under a random id. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);
  private readonly database: DatabaseEndpoint;

  constructor(
    private readonly auditLog: AuditLog,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.database = databaseEndpoint(config.get('DATABASE_URL', { infer: true }));
  }

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception, request);
    if (
      exception instanceof DomainError &&
      exception.code === ErrorCode.Forbidden &&
      request.principal &&
      !request.refusalAudited
    ) {
      await this.auditDenied(request, exception.message, exception.resource);
    }
    if (body.statusCode === 401) {
      void reply.header('www-authenticate', BEARER_CHALLENGE);
    }
    await reply.status(body.statusCode).type('application/json').send(body);
  }

  private toBody(exception: unknown, request: AuthenticatedRequest): ErrorBody {
    if (exception instanceof DomainError) {
      const fields = exception.fieldErrors.length > 0 ? [...exception.fieldErrors] : undefined;
      return errorBody(STATUS_BY_CODE[exception.code], exception.message, { code: exception.code, fields });
    }
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      // Health checks answer 503 with their own detail (which dependency is down): keep it.
      if (typeof response === 'object' && 'details' in response) {
        return { ...errorBody(exception.getStatus(), 'a dependency is down'), ...response };
      }
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
      return errorBody(exception.getStatus(), message);
    }
    if (isStatusError(exception) && exception.statusCode >= 400 && exception.statusCode < 500) {
      // Fastify's own codes (FST_ERR_…) name its internals; the answer gives the API's.
      return errorBody(exception.statusCode, exception.message, {
        code: codeForStatus(exception.statusCode),
      });
    }
    // Before Redis: a refused connection to the database must not be taken for the queue's.
    if (isDatabaseDown(exception, this.database)) {
      return errorBody(503, 'the database (PostgreSQL) is unavailable; try again shortly', {
        code: ErrorCode.DependencyDown,
      });
    }
    if (isRedisDown(exception)) {
      return errorBody(503, 'the queue (Redis) is unavailable; try again shortly', {
        code: ErrorCode.DependencyDown,
      });
    }
    const errorId = randomUUID();
    const stack = exception instanceof Error ? exception.stack : String(exception);
    // The request's own logger, so the line carries the request id next to the error id.
    request.log.error({ errorId, stack }, `unexpected error ${errorId}`);
    return errorBody(500, `unexpected error; quote error id ${errorId}`, {
      code: ErrorCode.Unexpected,
      errorId,
    });
  }

  private async auditDenied(
    request: AuthenticatedRequest,
    why: string,
    resource?: RefusedResource,
  ): Promise<void> {
    if (!request.principal) {
      return;
    }
    await this.auditLog
      .record(
        { actor: request.principal, requestId: requestIdOf(request) },
        {
          action: 'auth.denied',
          resourceType: resource?.type ?? 'route',
          resourceId: resource?.id ?? `${request.method} ${request.routeOptions.url ?? request.url}`,
          reason: why,
          outcome: 'denied',
        },
      )
      .catch((error: unknown) => this.logger.error(`could not audit a refusal: ${String(error)}`));
  }
}
