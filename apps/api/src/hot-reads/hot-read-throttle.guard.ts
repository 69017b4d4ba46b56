import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/request-context';
import { HotReadLimiter } from './hot-read-limiter';

/**
 * The hot reads' rate limit on their Nest routes, after the auth guard: the same per-token count
 * as the front door's, so a request the front door hands to Fastify (a query string it does not
 * take) is not counted apart. These routes skip the global throttler.
 */
@Injectable()
export class HotReadThrottleGuard implements CanActivate {
  constructor(private readonly limiter: HotReadLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (principal === undefined || !this.limiter.over(principal.id)) {
      return true;
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('retry-after', String(this.limiter.retryAfterSeconds(principal.id)));
    throw new ThrottlerException();
  }
}
