import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditLog } from '@stepwise/audit/audit-log';
import type { Role } from '@stepwise/common/principal';
import { ACCESS_KEY, PUBLIC_KEY } from './access.decorator';
import { Authenticator } from '@stepwise/access/authenticator';
import { AuthenticatedRequest, requestIdOf } from './request-context';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

/**
 * Every route needs a token and a role listed by `@Access`, unless marked `@Public`. A route that
 * lists no roles is refused to everyone (fail closed). Refusals of a known caller are audited.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly auditLog: AuditLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = BEARER.exec(request.headers.authorization ?? '');
    const principal = match ? await this.authenticator.authenticate(match[1]) : null;
    if (!principal) throw new UnauthorizedException('a valid bearer token is required');
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ACCESS_KEY, targets) ?? [];
    if (principal.role !== 'system' && allowed.includes(principal.role)) return true;
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
}
