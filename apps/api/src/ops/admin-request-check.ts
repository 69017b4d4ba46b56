import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '@stepwise/access/authenticator';
import { bearerTokenOf } from '../auth/bearer';
import { errorBody } from '../http/error-body';

/**
 * Reads a token from `Authorization: Bearer …`, or from HTTP Basic (any user name, the token as
 * password) so a browser can open the queue UI: a 401 asks the browser for it.
 */
function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization ?? '';
  const bearer = bearerTokenOf(header);
  if (bearer !== null) {
    return bearer;
  }
  const basic = /^Basic ([A-Za-z0-9+/=]{1,1024})$/.exec(header);
  if (!basic) {
    return null;
  }
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}

/** A Fastify onRequest hook admitting admins only, for routes mounted outside Nest. */
export const adminOnly =
  (authenticator: Authenticator) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = presentedToken(request);
    const principal = token ? await authenticator.authenticate(token) : null;
    if (!principal) {
      await reply
        .status(401)
        .header('www-authenticate', 'Basic realm="stepwise admin", charset="UTF-8"')
        .send(errorBody(401, 'an admin token is required (Bearer, or Basic with the token as password)'));
      return;
    }
    if (principal.role !== 'admin') {
      await reply
        .status(403)
        .send(errorBody(403, `role '${principal.role}' may not open the queue dashboard`));
    }
  };
