import { createServer, type Server } from 'node:http';
import type { FastifyServerFactory } from 'fastify';
import type { HotReadFrontDoor } from './hot-read-front-door';

/** Fastify's own server settings (defaults filled in), applied as Fastify applies them. */
interface ServerSettings {
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number | null;
}

/**
 * The HTTP server Fastify runs on, with the hot-read front door before Fastify's own handler.
 * `frontDoor` is read per request: it is null until the application (and the services it asks)
 * exists, and a request the front door declines reaches Fastify exactly as it arrived.
 */
export function frontDoorServerFactory(frontDoor: () => HotReadFrontDoor | null): FastifyServerFactory {
  return (handler, options): Server => {
    const server = createServer((request, response) => {
      const door = frontDoor();
      if (door === null) return handler(request, response);
      const answered = door.answer(request, response);
      if (answered === true) return;
      if (answered === false) return handler(request, response);
      answered.then(
        (done) => {
          if (!done) handler(request, response);
        },
        () => handler(request, response),
      );
    });
    const settings = options as ServerSettings;
    server.keepAliveTimeout = settings.keepAliveTimeout ?? 72_000;
    server.requestTimeout = settings.requestTimeout ?? 0;
    server.setTimeout(settings.connectionTimeout ?? 0);
    if (settings.maxRequestsPerSocket) server.maxRequestsPerSocket = settings.maxRequestsPerSocket;
    return server;
  };
}
