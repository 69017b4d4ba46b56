import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditLog } from '@stepwise/audit/audit-log';
import type { Principal, Role } from '@stepwise/common/principal';
import { ACCESS_KEY, CALENDAR_FEED_KEY, PUBLIC_KEY } from './access.decorator';
import { Authenticator } from '@stepwise/access/authenticator';
import { CalendarFeedKeys } from '@stepwise/access/calendar-feed-keys';
import { ConsoleSessions, SESSION_COOKIE } from '@stepwise/access/console-sessions';
import { sameHash } from '@stepwise/access/token-secret';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { bearerTokenOf } from './bearer';
import { AuthenticatedRequest, requestIdOf } from './request-context';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

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
    private readonly sessions: ConsoleSessions,
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
        : ((await this.sessionPrincipal(request)) ?? (await this.feedPrincipal(request, targets)));
    if (!principal) {
      throw new UnauthorizedException('a valid bearer token is required');
    }
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ACCESS_KEY, targets) ?? [];
    if (principal.role !== 'system' && allowed.includes(principal.role)) {
      return true;
    }
    await this.auditLog.record(
      { actor: principal, requestId: requestIdOf(request) },
      {
        action: 'auth.denied',
        resourceType: 'route',
        resourceId: `${request.method} ${request.routeOptions.url ?? request.url}`,
        outcome: 'denied',
      },
    );
    request.refusalAudited = true;
    throw new DomainError(ErrorCode.Forbidden, `role '${principal.role}' may not call this route`);
  }

  /**
   * The person of a console session cookie, when no bearer token is sent. A request that changes
   * something must also carry the session's CSRF token in a header, which another site's page
   * cannot read or send (synchroniser token; the cookie is also SameSite=Lax).
   */
  private async sessionPrincipal(request: AuthenticatedRequest): Promise<Principal | null> {
    const secret = request.cookies?.[SESSION_COOKIE];
    if (secret === undefined) {
      return null;
    }
    const session = await this.sessions.find(secret);
    if (session === null) {
      return null;
    }
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameHash(sent, session.csrfToken)) {
        throw new DomainError(
          ErrorCode.CsrfTokenInvalid,
          `a console request that changes something needs the session's ${CSRF_HEADER} header`,
        );
      }
    }
    return session.principal;
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
