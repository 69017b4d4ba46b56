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

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
// Keeps a BOM as a character, so that byte offsets can be counted along the decoded text.
const LENIENT_UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * `bytes` as text when they are well-formed UTF-8; else the offset of the first byte that is not
 * (a stray byte, an overlong form such as C0 AF, an encoded surrogate such as ED A0 80). Decoders
 * would put U+FFFD there, so text stored from it would silently differ from what was sent.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { invalidAt: number } {
  try {
    return { text: STRICT_UTF8.decode(bytes) };
  } catch {
    return { invalidAt: firstIllFormedByte(bytes) };
  }
}

/** Every U+FFFD a lenient decoder gives is either one sent as such (EF BF BD) or a bad byte. */
function firstIllFormedByte(bytes: Uint8Array): number {
  const text = LENIENT_UTF8.decode(bytes);
  let offset = 0;
  let counted = 0;
  for (let at = text.indexOf('\ufffd'); at !== -1; at = text.indexOf('\ufffd', at + 1)) {
    offset += Buffer.byteLength(text.slice(counted, at));
    counted = at;
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) {
      return offset;
    }
  }
  return bytes.length;
}
