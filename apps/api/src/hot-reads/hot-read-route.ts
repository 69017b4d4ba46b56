import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '@stepwise/common/principal';

/** What a hot read answers: a JSON body (200), or 304 with the ETag a client already holds. */
export interface HotReadAnswer {
  status: 200 | 304;
  body: string | null;
  /** Extra response headers (ETag, Cache-Control), as Node writes them. */
  headers: readonly string[];
}

/**
 * One read that enforcement points and service owners make at high rate. `match` recognises the
 * plain form of the request (no query parameters beyond the ones it handles); `answer` produces
 * the reply, or null (or throws) to leave the request to the Nest route, which then handles every
 * other case (bad input, missing rules, …) and its errors exactly as documented. It answers without
 * waiting when its snapshot is fresh, which is nearly always.
 */
export interface HotReadRoute {
  /** The Nest controller method serving the same path: its `@Access` roles apply here too. */
  handler: object;
  /** The route's pattern, as Fastify labels the same request in metrics. */
  pattern: string;
  match(url: string): { serviceId: string; query: Record<string, string> } | null;
  answer(
    principal: Principal,
    serviceId: string,
    query: Record<string, string>,
    headers: IncomingHttpHeaders,
  ): HotReadAnswer | null | Promise<HotReadAnswer | null>;
}
