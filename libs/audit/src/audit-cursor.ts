import { DomainError } from '@stepwise/common/domain-error';

const PREFIX = 'seq:';
const BASE64URL = /^[A-Za-z0-9_-]{1,64}$/;
const SEQ = /^[1-9][0-9]{0,15}$/;

/**
 * Page cursors are opaque to callers (base64url) so the keyset they carry can change without
 * breaking clients; today it is the last seq of the page, and the next page starts below it.
 */
export const encodeCursor = (seq: number): string => Buffer.from(`${PREFIX}${seq}`).toString('base64url');

/** The seq a cursor carries; a malformed one is a 400 naming `cursor`. */
export function decodeCursor(cursor: string): number {
  const text = BASE64URL.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const digits = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  const seq = SEQ.test(digits) ? Number(digits) : Number.NaN;
  if (!Number.isSafeInteger(seq)) {
    throw DomainError.validation([
      { field: 'cursor', message: 'malformed cursor; pass nextCursor as returned' },
    ]);
  }
  return seq;
}
