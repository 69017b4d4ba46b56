import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuditContext } from '@stepwise/audit/audit-log';
import type { IdempotencyClaim } from '@stepwise/idempotency/idempotency-claim';
import type { Principal } from '@stepwise/common/principal';

export type AuthenticatedRequest = FastifyRequest & {
  principal?: Principal;
  idempotency?: IdempotencyClaim;
  /** The refusal was already audited where it was made (the error filter must not add another). */
  refusalAudited?: boolean;
};

/** The request id the server assigned (logged on every line, returned as `x-request-id`). */
export const requestIdOf = (request: FastifyRequest): string | null => request.id ?? null;

/** The caller and request id, as the audit log records them. */
export const Actor = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuditContext => {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) {
    throw new Error('Actor used on a route the auth guard did not run on');
  }
  return { actor: request.principal, requestId: requestIdOf(request), idempotency: request.idempotency };
});
