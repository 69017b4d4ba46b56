import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { languageOf } from './console-language';
import { simplePage } from './html';

/** `npm run build` bundles apps/console into dist/console (see scripts/build-console.js). */
export const CONSOLE_BUILD_DIR = join(__dirname, '../../../../console');

/**
 * The console's URLs: each page has its own, so back, reload and a shared link work. The server
 * answers each with the same shell; the script renders the page the path names.
 */
export const CONSOLE_ROUTES = [
  '/',
  '/timeline',
  '/services',
  '/services/:serviceId',
  '/policies/:policyId/revisions',
  '/policies/:policyId/revisions/:number',
  '/policies/:policyId/revisions/:number/edit',
  '/directory',
  '/rollout',
  '/notices',
  '/adoption',
  '/audit',
  '/signed-out',
] as const;

/** Serves the console's shell at its routes and its bundle under /assets/. */
export async function mountConsolePages(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  let shell: string | null = null;
  try {
    shell = readFileSync(join(CONSOLE_BUILD_DIR, 'index.html'), 'utf8');
  } catch {
    // Not built (a unit run without `npm run build`): the routes say so instead of failing.
  }
  await app.register(fastifyStatic, {
    root: join(CONSOLE_BUILD_DIR, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    // File names carry no hash: a new build must reach browsers at the next load.
    cacheControl: true,
    maxAge: 0,
  });
  for (const route of CONSOLE_ROUTES) {
    fastify.get(route, async (request, reply) => {
      const lang = languageOf(request.headers);
      void reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
      if (shell === null) {
        return reply
          .code(503)
          .send(
            simplePage({ lang, title: 'Console not built', body: '<p>Run <code>npm run build</code>.</p>' }),
          );
      }
      return reply.send(shell.replace('<html lang="en">', `<html lang="${lang}">`));
    });
  }
}
