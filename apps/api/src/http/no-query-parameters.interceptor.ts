import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { DomainError } from '@stepwise/common/domain-error';
import { API_PREFIX } from './api-prefix';
import { UNKNOWN_FIELD } from './validation.pipe';

const QUERY_ARGUMENT = `${RouteParamtypes.QUERY}:`;

/** Whether the handler takes a `@Query()` argument (its parameters are then validated by a DTO). */
function declaresQuery(context: ExecutionContext): boolean {
  const handler = context.getHandler();
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) as
    Record<string, unknown> | undefined;
  return Object.keys(args ?? {}).some((key) => key.startsWith(QUERY_ARGUMENT));
}

/**
 * An API route that declares no query parameters refuses any it is sent, with the 400 the
 * validation pipe gives an unknown parameter on a route that declares some: a client that sends
 * a filter a route does not have (`/audit/verify?from=…`, `/services?tag=vpn`) learns it was
 * not applied, instead of reading an unfiltered answer as a filtered one. Runs after the guards
 * (an unauthenticated probe still gets 401) and before anything else. Health and docs, outside
 * the API prefix, are left alone: probes and browsers add cache-busting parameters.
 */
@Injectable()
export class NoQueryParametersInterceptor implements NestInterceptor {
  private readonly takesQuery = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const names = Object.keys((request.query as Record<string, unknown> | undefined) ?? {});
    if (names.length > 0 && request.url.startsWith(`/${API_PREFIX}/`) && !this.declares(context)) {
      throw DomainError.validation(names.map((field) => ({ field, message: UNKNOWN_FIELD })));
    }
    return next.handle();
  }

  private declares(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let declared = this.takesQuery.get(handler);
    if (declared === undefined) {
      declared = declaresQuery(context);
      this.takesQuery.set(handler, declared);
    }
    return declared;
  }
}
