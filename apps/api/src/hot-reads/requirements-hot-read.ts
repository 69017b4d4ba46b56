import type { FastifyReply } from 'fastify';
import type { Principal } from '@stepwise/common/principal';
import { RequirementsController } from '../requirements/requirements.controller';
import type { RequirementsService } from '../requirements/requirements.service';
import type { HotReadRoute } from './hot-read-route';

const PLAIN =
  /^\/api\/v1\/services\/([a-z0-9][a-z0-9-]{1,62})\/requirements(?:\?population=([a-z0-9][a-z0-9-]{0,62}))?$/;

/** "What must my system require now?": the requirements route without `at`/`asOf`. */
export function requirementsHotRead(requirements: RequirementsService): HotReadRoute {
  return {
    handler: RequirementsController.prototype.get,
    match(url) {
      const m = PLAIN.exec(url);
      if (!m) return null;
      const query: Record<string, string> = m[2] ? { population: m[2] } : {};
      return { serviceId: m[1], query };
    },
    async answer(principal: Principal, serviceId, query, _headers, reply: FastifyReply) {
      const body = await requirements.forService(principal, serviceId, query);
      await reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
      return true;
    },
  };
}
