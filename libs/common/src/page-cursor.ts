import { DomainError } from './domain-error';

/** Items per page of a list when the caller names no limit (docs/adr/0100-list-paging.md). */
export const DEFAULT_PAGE_LIMIT = 100;
/** The most items one page of a list holds. */
export const MAX_PAGE_LIMIT = 1000;
/** The longest cursor a list takes: the largest key (a schedule's) encodes well under it. */
export const MAX_CURSOR_LENGTH = 1000;

/** One page of a list in keyset order. */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** What a caller asks of a list: both optional (the first page, DEFAULT_PAGE_LIMIT items). */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

type KeyPartType = 'string' | 'number';
type KeyOf<Shape extends readonly KeyPartType[]> = {
  -readonly [I in keyof Shape]: Shape[I] extends 'number' ? number : string;
};

const BASE64URL = /^[A-Za-z0-9_-]+$/;

const malformed = (): DomainError =>
  DomainError.validation([{ field: 'cursor', message: 'malformed cursor; pass nextCursor as returned' }]);

/**
 * The keyset position of one list, opaque to callers (base64url of `<list>:<JSON key>`) so the
 * key can change without breaking clients. The list's name is inside, so a cursor from one list
 * sent to another is a 400 naming `cursor`, not a page from the wrong place.
 */
export class PageCursor<const Shape extends readonly KeyPartType[]> {
  constructor(
    private readonly list: string,
    private readonly shape: Shape,
  ) {}

  encode(key: KeyOf<Shape>): string {
    return Buffer.from(`${this.list}:${JSON.stringify(key)}`).toString('base64url');
  }

  /** The key a cursor carries; anything but a cursor this list gave out is a 400 naming `cursor`. */
  decode(cursor: string): KeyOf<Shape> {
    if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
      throw malformed();
    }
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!text.startsWith(`${this.list}:`)) {
      throw malformed();
    }
    let key: unknown;
    try {
      key = JSON.parse(text.slice(this.list.length + 1));
    } catch {
      throw malformed();
    }
    if (!Array.isArray(key) || key.length !== this.shape.length) {
      throw malformed();
    }
    const fits = key.every((part: unknown, index) =>
      this.shape[index] === 'number' ? Number.isSafeInteger(part) : typeof part === 'string',
    );
    if (!fits) {
      throw malformed();
    }
    return key as KeyOf<Shape>;
  }
}

/** The page size to use: the caller's limit (validated at the edge), or the default. */
export const pageLimit = (request: PageRequest): number =>
  Math.min(request.limit ?? DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT);

/**
 * A page from the rows a keyset query returned when asked for one more than `limit`: the extra
 * row only says that a next page exists, so no count is needed.
 */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorAfter: (last: Row) => string,
): Page<Item> {
  const kept = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? cursorAfter(kept[kept.length - 1]) : null;
  return { items: kept.map(toItem), nextCursor };
}
