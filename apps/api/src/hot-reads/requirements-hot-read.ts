import type { Principal } from '@stepwise/common/principal';
import { RequirementsController } from '../requirements/requirements.controller';
import type { HotReadAnswer, HotReadRoute } from './hot-read-route';
import type { LiveRequirements } from './live-requirements';

const PLAIN =
  /^\/api\/v1\/services\/([a-z0-9][a-z0-9-]{1,62})\/requirements(?:\?population=([a-z0-9][a-z0-9-]{0,62}))?$/;

/** "What must my system require now?": the requirements route without `at`/`asOf`. */
export function requirementsHotRead(live: LiveRequirements): HotReadRoute {
  return {
    handler: RequirementsController.prototype.get,
    pattern: '/api/v1/services/:id/requirements',
    match(url) {
      const m = PLAIN.exec(url);
      if (!m) {
        return null;
      }
      const query: Record<string, string> = m[2] ? { population: m[2] } : {};
      return { serviceId: m[1], query };
    },
    answer(principal: Principal, serviceId, query) {
      const ok = (body: string): HotReadAnswer => ({ status: 200, body, headers: [] });
      const body = live.jsonIfFresh(principal, serviceId, query.population);
      return body !== null ? ok(body) : live.json(principal, serviceId, query.population).then(ok);
    },
  };
}
