import type { IncomingHttpHeaders } from 'node:http';
import type { RulesDocument } from '@stepwise/enforcement/rules-document.view';
import type { RulesSnapshot } from '@stepwise/enforcement/rules-snapshot';
import { RulesController } from '../rules/rules.controller';
import { generationEtag, matchesIfNoneMatch } from '../rules/rules-etag';
import type { HotReadAnswer, HotReadRoute } from './hot-read-route';

const PLAIN = /^\/api\/v1\/services\/([a-z0-9][a-z0-9-]{1,62})\/rules$/;

/**
 * "Which rules must I enforce now?", pulled by enforcement points, usually with If-None-Match.
 * A document is immutable once loaded, so its JSON is serialised once and kept beside it.
 */
export function rulesHotRead(snapshot: RulesSnapshot): HotReadRoute {
  const serialised = new WeakMap<RulesDocument, string>();
  return {
    handler: RulesController.prototype.get,
    pattern: '/api/v1/services/:id/rules',
    match(url) {
      const m = PLAIN.exec(url);
      return m ? { serviceId: m[1], query: {} } : null;
    },
    answer(_principal, serviceId, _query, headers) {
      const held = snapshot.peek(serviceId);
      if (held === undefined) return snapshot.get(serviceId).then((document) => respond(document, headers));
      return respond(held, headers);
    },
  };

  function respond(document: RulesDocument | null, headers: IncomingHttpHeaders): HotReadAnswer | null {
    if (document === null) return null;
    const cacheHeaders = ['etag', generationEtag(document.generation), 'cache-control', 'private, no-cache'];
    const ifNoneMatch = headers['if-none-match'];
    if (matchesIfNoneMatch(ifNoneMatch, document.generation))
      return { status: 304, body: null, headers: cacheHeaders };
    let body = serialised.get(document);
    if (body === undefined) {
      body = JSON.stringify(document);
      serialised.set(document, body);
    }
    return { status: 200, body, headers: cacheHeaders };
  }
}
