import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Helmet's defaults, with a CSP that lets the Swagger UI at /docs run its inline script and styles. */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
    },
  },
};

/** The headers helmet sets for these options, computed once by running helmet itself. */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    if (error) {
      throw error instanceof Error ? error : new Error('helmet could not compute its headers');
    }
  });
  return headers;
}

/**
 * What a JSON answer carries, after the OWASP REST Security Cheat Sheet: nothing may be framed,
 * loaded or sniffed from it, and HTTPS is sticky. Helmet's other headers (XSS filter, DNS
 * prefetch, download options, origin agent cluster, cross-domain policies, a CSP for scripts and
 * styles) govern how a browser renders a document, so only the HTML pages get them.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * The console's pages: its own scripts and styles only (no inline script or style), talking to
 * its own origin; nothing may frame it.
 */
export const CONSOLE_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
    },
  },
};

/** The HTML pages of libraries: the Swagger UI and the queue dashboard. */
const HTML_PATH = /^\/(docs|admin\/queues)(?:[/?]|$)/;
/** What answers JSON (or metrics text): everything else is the console's. */
const API_PATH = /^\/(api|health|metrics)(?:[/?]|$)/;

/**
 * Security headers on every response: the API set on JSON answers, helmet's whole set (with a CSP
 * that lets the Swagger UI run its inline script and styles) on the HTML pages. `@fastify/helmet`
 * rebuilds helmet's middleware, CSP parsing included, on every request (measured: more than a hot
 * read costs; figure in docs/benchmarks.md); the headers do not depend on the request beyond its
 * path, so they are computed once and set from a map. Returns the API set, which the hot-read
 * front door sends.
 */
export function registerSecurityHeaders(
  fastify: FastifyInstance,
  options: HelmetOptions = HELMET_OPTIONS,
): Readonly<Record<string, string>> {
  const pageHeaders = helmetHeaders(options);
  const consoleHeaders = helmetHeaders(CONSOLE_HELMET_OPTIONS);
  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    void reply.headers(
      API_PATH.test(url) ? API_SECURITY_HEADERS : HTML_PATH.test(url) ? pageHeaders : consoleHeaders,
    );
    done();
  });
  return API_SECURITY_HEADERS;
}
