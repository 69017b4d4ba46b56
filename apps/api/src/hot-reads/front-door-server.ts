import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/** Answers some requests before Fastify: true when it did, false to leave the request untouched. */
export interface RawDoor {
  answer(request: IncomingMessage, response: ServerResponse): boolean | Promise<boolean>;
}

/** The first of several doors that takes the request (each declines what is not its own). */
export function firstDoor(doors: readonly RawDoor[]): RawDoor {
  return {
    answer(request, response) {
      for (const door of doors) {
        const answered = door.answer(request, response);
        if (answered !== false) {
          return answered;
        }
      }
      return false;
    },
  };
}

/** Fastify's own server settings (defaults filled in), applied as Fastify applies them. */
interface ServerSettings {
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number | null;
}

/**
 * The HTTP server Fastify runs on, with the front doors (hot reads, the development identity
 * provider) before Fastify's own handler.
 * `frontDoor` is read per request: it is null until the application (and the services it asks)
 * exists, and a request the front door declines reaches Fastify exactly as it arrived.
 */
export function frontDoorServerFactory(frontDoor: () => RawDoor | null): FastifyServerFactory {
  return (handler, options): Server => {
    const settings = options as ServerSettings;
    const requestTimeout = settings.requestTimeout ?? 0;
    // Node enforces the request timeout only when it is given here (set on the server afterwards,
    // a stalled body went on for good), and checks it every connectionsCheckingInterval (30 s by
    // default; at most 1 s late here). Headers must not get longer than the whole request.
    // 0 is Fastify's "no limit", as it would set it.
    const timeouts =
      requestTimeout > 0
        ? {
            requestTimeout,
            headersTimeout: Math.min(60_000, requestTimeout),
            connectionsCheckingInterval: Math.min(requestTimeout, 1_000),
          }
        : { requestTimeout: 0 };
    const server = createServer(timeouts, (request, response) => {
      const door = frontDoor();
      if (door === null) {
        return handler(request, response);
      }
      const answered = door.answer(request, response);
      if (answered === true) {
        return;
      }
      if (answered === false) {
        return handler(request, response);
      }
      answered.then(
        (done) => {
          if (!done) {
            handler(request, response);
          }
        },
        () => handler(request, response),
      );
    });
    server.keepAliveTimeout = settings.keepAliveTimeout ?? 72_000;
    server.setTimeout(settings.connectionTimeout ?? 0);
    if (settings.maxRequestsPerSocket) {
      server.maxRequestsPerSocket = settings.maxRequestsPerSocket;
    }
    return server;
  };
}
