import { ADMIN_TOKEN, bearer, TestApi } from './support/test-api';

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Follows a keyset-paged list from its first page to its last, sending `query` with every
 * request and the cursor of the page before; each page's items, in order.
 */
export async function walkPages<T = Record<string, unknown>>(
  sut: TestApi,
  path: string,
  query: Record<string, string | number>,
  token = ADMIN_TOKEN,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  do {
    const res = await sut.http
      .get(path)
      .query(cursor === null ? query : { ...query, cursor })
      .set(...bearer(token))
      .expect(200);
    const body = res.body as ListPage<T>;
    pages.push(body.items);
    cursor = body.nextCursor;
    if (pages.length > 1000) {
      throw new Error(`${path}: paging does not end`);
    }
  } while (cursor !== null);
  return pages;
}

/** Every page but the last is full, and the pages hold each item once. */
export function expectFullPagesWithoutRepeats<T>(
  pages: T[][],
  limit: number,
  keyOf: (item: T) => string,
): void {
  expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
  const keys = pages.flat().map(keyOf);
  expect(new Set(keys).size).toBe(keys.length);
}
