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
  /** Per document (immutable once loaded): its JSON, and the headers both answers carry. */
  const prepared = new WeakMap<RulesDocument, { body: string; etag: string; headers: string[] }>();
  const prepare = (document: RulesDocument) => {
    let entry = prepared.get(document);
    if (entry === undefined) {
      const etag = generationEtag(document.generation);
      entry = {
        body: JSON.stringify(document),
        etag,
        headers: ['etag', etag, 'cache-control', 'private, no-cache'],
      };
      prepared.set(document, entry);
    }
    return entry;
  };

  function respond(document: RulesDocument | null, headers: IncomingHttpHeaders): HotReadAnswer | null {
    if (document === null) {
      return null;
    }
    const entry = prepare(document);
    const ifNoneMatch = headers['if-none-match'];
    // The usual form (the ETag as sent) first; lists, `W/` and `*` through the full rule.
    if (ifNoneMatch === entry.etag || matchesIfNoneMatch(ifNoneMatch, document.generation)) {
      return { status: 304, body: null, headers: entry.headers };
    }
    return { status: 200, body: entry.body, headers: entry.headers };
  }

  return {
    handler: RulesController.prototype.get,
    pattern: '/api/v1/services/:id/rules',
    match(url) {
      const m = PLAIN.exec(url);
      return m ? { serviceId: m[1], query: {} } : null;
    },
    answer(_principal, serviceId, _query, headers) {
      const held = snapshot.peek(serviceId);
      if (held === undefined) {
        return snapshot.get(serviceId).then((document) => respond(document, headers));
      }
      return respond(held, headers);
    },
  };
}
