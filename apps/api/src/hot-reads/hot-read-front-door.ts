import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { canSeeService, type Principal, type Role } from '@stepwise/common/principal';
import { requestIdFor } from '@stepwise/common/request-id';
import { ACCESS_KEY } from '../auth/access.decorator';
import { bearerTokenOf } from '../auth/bearer';
import { errorBody } from '../http/error-body';
import type { HotReadAnswer, HotReadRoute } from './hot-read-route';
import type { HotReadLimiter } from './hot-read-limiter';

const JSON_TYPE = 'application/json; charset=utf-8';
const TOO_MANY_BODY = JSON.stringify(errorBody(429, 'ThrottlerException: Too Many Requests'));
type TooMany = { status: 429; body: string; headers: readonly string[] };
const tooMany = (retryAfterSeconds: number): TooMany => ({
  status: 429,
  body: TOO_MANY_BODY,
  headers: ['retry-after', String(retryAfterSeconds)],
});

export interface HotReadFrontDoorOptions {
  routes: HotReadRoute[];
  /** The principal of a bearer secret: at once when cached, else after a lookup. */
  authenticate(secret: string): Principal | null | Promise<Principal | null>;
  /** Null: no limit. */
  limiter: HotReadLimiter | null;
  /** Response headers every answer carries (the security headers). */
  headers: Readonly<Record<string, string>>;
  observe(method: string, route: string, status: number, seconds: number): void;
  logger: Logger;
}

type Settled = HotReadAnswer | TooMany | null;

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => value instanceof Promise;

/**
 * The fast path for hot reads, in front of Fastify. Routing, hooks, a reply object and a child
 * logger per request cost several times the read itself, so the plain, authorised form of these
 * GETs is answered straight from the HTTP server's request event, with the same authenticator,
 * the same `@Access` roles and scope rule, a per-token rate limit, the same headers and metrics;
 * with a cached token and a fresh snapshot it answers without waiting on anything. Anything else
 * (no or bad token, a refused role or scope, odd parameters, a domain error, a server that is
 * closing) is handed to Fastify untouched, and the Nest route answers and audits it.
 */
export class HotReadFrontDoor {
  private readonly roles: Map<HotReadRoute, readonly Role[]>;
  private readonly baseHeaders: string[];
  private open = true;

  constructor(private readonly options: HotReadFrontDoorOptions) {
    this.roles = new Map(
      options.routes.map((r) => [r, (Reflect.getMetadata(ACCESS_KEY, r.handler) ?? []) as Role[]]),
    );
    this.baseHeaders = Object.entries(options.headers).flat();
  }

  /** From now on every request goes to Fastify (which answers 503 while it closes). */
  close(): void {
    this.open = false;
  }

  /** True when the request was answered here; false leaves it untouched for Fastify. */
  answer(request: IncomingMessage, response: ServerResponse): boolean | Promise<boolean> {
    if (!this.open || request.method !== 'GET') {
      return false;
    }
    const started = performance.now();
    const url = request.url ?? '';
    for (const route of this.options.routes) {
      const matched = route.match(url);
      if (!matched) {
        continue;
      }
      const token = bearerTokenOf(request.headers.authorization);
      if (token === null) {
        return false;
      }
      const authenticated = this.options.authenticate(token);
      const { serviceId, query } = matched;
      let settled: Settled | Promise<Settled>;
      try {
        // A step that throws declines the request, as a rejected one does below.
        settled = isPromise(authenticated)
          ? authenticated.then((principal) => this.settle(route, principal, serviceId, query, request))
          : this.settle(route, authenticated, serviceId, query, request);
      } catch {
        return false;
      }
      if (!isPromise(settled)) {
        return this.write(request, response, route, settled, started);
      }
      return settled.then(
        (answer) => this.write(request, response, route, answer, started),
        () => false,
      );
    }
    return false;
  }

  private settle(
    route: HotReadRoute,
    principal: Principal | null,
    serviceId: string,
    query: Record<string, string>,
    request: IncomingMessage,
  ): Settled | Promise<Settled> {
    if (!principal || principal.role === 'system' || !this.roles.get(route)?.includes(principal.role)) {
      return null;
    }
    if (!canSeeService(principal, serviceId)) {
      return null;
    }
    const limiter = this.options.limiter;
    if (limiter?.over(principal.id)) {
      return tooMany(limiter.retryAfterSeconds(principal.id));
    }
    return route.answer(principal, serviceId, query, request.headers);
  }

  private write(
    request: IncomingMessage,
    response: ServerResponse,
    route: HotReadRoute,
    answer: Settled,
    started: number,
  ): boolean {
    if (answer === null || !this.open) {
      return false;
    }
    const requestId = requestIdFor(request);
    // A 304 carries metadata only (RFC 9110 §15.4.5: ETag, Cache-Control, Date, …): no content,
    // so none of the headers that govern how content is handled.
    const base = answer.status === 304 ? [] : this.baseHeaders;
    const headers = [...base, 'x-request-id', requestId, ...answer.headers];
    if (answer.body !== null) {
      headers.push('content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(answer.body)));
    }
    response.writeHead(answer.status, headers);
    response.end(answer.body ?? undefined);
    const seconds = (performance.now() - started) / 1000;
    this.options.observe('GET', route.pattern, answer.status, seconds);
    if (this.options.logger.isLevelEnabled('info')) {
      this.options.logger.info(
        {
          reqId: requestId,
          req: { method: 'GET', url: request.url },
          res: { statusCode: answer.status },
          responseTime: seconds * 1000,
        },
        'request completed',
      );
    }
    return true;
  }
}
