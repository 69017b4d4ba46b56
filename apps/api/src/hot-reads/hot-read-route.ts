import type { FastifyReply } from 'fastify';
import type { Principal } from '@stepwise/common/principal';

/**
 * One read that enforcement points and service owners make at high rate. `match` recognises the
 * plain form of the request (no query parameters beyond the ones it handles); `answer` produces
 * the reply, or returns false to leave the request to the Nest route, which then handles every
 * other case (bad input, missing rules, …) and its errors exactly as documented.
 */
export interface HotReadRoute {
  /** The Nest controller method serving the same path: its `@Access` roles apply here too. */
  handler: object;
  match(url: string): { serviceId: string; query: Record<string, string> } | null;
  answer(
    principal: Principal,
    serviceId: string,
    query: Record<string, string>,
    headers: Record<string, string | string[] | undefined>,
    reply: FastifyReply,
  ): Promise<boolean>;
}
