import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditLog } from '@stepwise/audit/audit-log';
import type { Principal, Role } from '@stepwise/common/principal';
import { ACCESS_KEY, CALENDAR_FEED_KEY, PUBLIC_KEY } from './access.decorator';
import { Authenticator } from '@stepwise/access/authenticator';
import { CalendarFeedKeys } from '@stepwise/access/calendar-feed-keys';
import { bearerTokenOf } from './bearer';
import { AuthenticatedRequest, requestIdOf } from './request-context';

/**
 * Every route needs a token and a role listed by `@Access`, unless marked `@Public`. A route that
 * lists no roles is refused to everyone (fail closed). Refusals of a known caller are audited. A
 * route marked `@CalendarFeed` also takes a feed key (`?feed=`) when no bearer token is sent.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly auditLog: AuditLog,
    private readonly feedKeys: CalendarFeedKeys,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    const principal =
      token !== null
        ? await this.authenticator.authenticate(token)
        : await this.feedPrincipal(request, targets);
    if (!principal) {
      throw new UnauthorizedException('a valid bearer token is required');
    }
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ACCESS_KEY, targets) ?? [];
    if (principal.role !== 'system' && allowed.includes(principal.role)) {
      return true;
    }
    await this.auditLog.append(
      { actor: principal, requestId: requestIdOf(request) },
      {
        action: 'auth.denied',
        resourceType: 'route',
        resourceId: `${request.method} ${request.routeOptions.url ?? request.url}`,
        outcome: 'denied',
      },
    );
    throw new ForbiddenException(`role '${principal.role}' may not call this route`);
  }

  /** The principal a feed key stands for, on a route that takes one; null when there is none. */
  private async feedPrincipal(
    request: AuthenticatedRequest,
    targets: Parameters<Reflector['getAllAndOverride']>[1],
  ): Promise<Principal | null> {
    const feed = (request.query as Record<string, unknown> | undefined)?.feed;
    if (feed === undefined || !this.reflector.getAllAndOverride<boolean>(CALENDAR_FEED_KEY, targets)) {
      return null;
    }
    const tokenId = typeof feed === 'string' ? this.feedKeys.tokenIdOf(feed) : null;
    const principal = tokenId === null ? null : await this.authenticator.authenticateTokenId(tokenId);
    if (!principal) {
      throw new UnauthorizedException(
        'the calendar feed key is not valid (altered, or its token was revoked)',
      );
    }
    return principal;
  }
}
