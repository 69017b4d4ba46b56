import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canSeeService, type Role } from '@stepwise/common/principal';
import { ACCESS_KEY } from '../auth/access.decorator';
import { Authenticator } from '../auth/authenticator';
import { errorBody } from '../http/error-body';
import type { HotReadRoute } from './hot-read-route';

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;
const MINUTE_MS = 60_000;

/**
 * The fast path for hot reads. Nest's per-request pipeline (guards, pipes, interceptors) costs
 * more than the read itself, so the plain, authorised form of these GETs is answered from a
 * Fastify hook, with the same authenticator, the same `@Access` roles and scope rule, the same
 * rate limit and the same services. Anything else (no or bad token, a refused role or scope, odd
 * parameters, a domain error) falls through to the Nest route, which answers and audits it.
 */
export type HotReadHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

export function createHotReadHook(
  app: NestFastifyApplication,
  routes: HotReadRoute[],
  ratePerMinute: number,
): HotReadHook {
  const authenticator = app.get(Authenticator);
  const throttler = app.get<ThrottlerStorage>(ThrottlerStorage);
  const roles = new Map(routes.map((r) => [r, (Reflect.getMetadata(ACCESS_KEY, r.handler) ?? []) as Role[]]));
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET') return undefined;
    for (const route of routes) {
      const matched = route.match(request.url);
      if (!matched) continue;
      const bearer = BEARER.exec(request.headers.authorization ?? '');
      const principal = bearer ? await authenticator.authenticate(bearer[1]) : null;
      if (!principal || principal.role === 'system' || !roles.get(route)?.includes(principal.role))
        return undefined;
      if (!canSeeService(principal, matched.serviceId)) return undefined;
      if (ratePerMinute > 0 && (await throttled(throttler, bearer?.[1] ?? '', ratePerMinute))) {
        await reply.status(429).send(errorBody(429, 'ThrottlerException: Too Many Requests'));
        return reply;
      }
      const answered = await route
        .answer(principal, matched.serviceId, matched.query, request.headers, reply)
        .catch(() => false);
      return answered ? reply : undefined;
    }
    return undefined;
  };
}

async function throttled(storage: ThrottlerStorage, token: string, limit: number): Promise<boolean> {
  const key = `hot-read:${createHash('sha256').update(token).digest('hex')}`;
  const record = await storage.increment(key, MINUTE_MS, limit, 0, 'default');
  return record.isBlocked || record.totalHits > limit;
}
