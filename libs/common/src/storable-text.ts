/**
 * Text PostgreSQL cannot store as given: a NUL (refused outright in `text` and `jsonb`) or a lone
 * UTF-16 surrogate (UTF-8 cannot carry it, so it would be stored as U+FFFD, not as sent).
 */
export const UNSTORABLE_TEXT =
  // eslint-disable-next-line no-control-regex -- matching NUL is the point.
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const MAX_DEPTH = 100;

/**
 * The path of the first string (or object key) in `value` that text cannot store, or null. Walks
 * plain objects and arrays; `path` names the root (a parameter, or '' for a whole body).
 */
export function firstUnstorableText(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') {
    return UNSTORABLE_TEXT.test(value) ? path || 'body' : null;
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) {
    return null;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = firstUnstorableText(value[index], `${path}[${index}]`, depth + 1);
      if (found !== null) {
        return found;
      }
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (UNSTORABLE_TEXT.test(key)) {
      return childPath;
    }
    const found = firstUnstorableText(child, childPath, depth + 1);
    if (found !== null) {
      return found;
    }
  }
  return null;
}
