import { DomainError } from './domain-error';
import { PageCursor, toPage } from './page-cursor';

const forged = (text: string): string => Buffer.from(text).toString('base64url');

describe(PageCursor.name, () => {
  const sut = new PageCursor('schedule', ['number', 'string']);

  it('gives back the key it encoded, in an opaque URL-safe text', () => {
    const cursor = sut.encode([1_700_000_000_000, 'utokyo-vpn/ü?&']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sut.decode(cursor)).toEqual([1_700_000_000_000, 'utokyo-vpn/ü?&']);
  });

  it.each([
    ['not base64url', 'not a cursor'],
    ["another list's cursor", new PageCursor('services', ['number', 'string']).encode([1, 'a'])],
    ['no list name', forged('[1,"a"]')],
    ['a key that is not JSON', forged('schedule:[1,')],
    ['a key that is not an array', forged('schedule:{"0":1,"1":"a"}')],
    ['too few parts', forged('schedule:[1]')],
    ['too many parts', forged('schedule:[1,"a","b"]')],
    ['a string where a number goes', forged('schedule:["1","a"]')],
    ['a fraction', forged('schedule:[1.5,"a"]')],
    ['an unsafe integer', forged('schedule:[9007199254740993,"a"]')],
    ['a number where a string goes', forged('schedule:[1,2]')],
    ['too long', 'A'.repeat(1001)],
  ])('refuses %s with a validation error naming cursor', (_label, cursor) => {
    expect(() => sut.decode(cursor)).toThrow(DomainError);
    try {
      sut.decode(cursor);
    } catch (error) {
      expect((error as DomainError).fieldErrors.map((each) => each.field)).toEqual(['cursor']);
    }
  });
});

describe(toPage.name, () => {
  const page = (rows: number[], limit: number) =>
    toPage(
      rows,
      limit,
      (row) => `item ${row}`,
      (last) => `after ${last}`,
    );

  it('keeps limit items and points after the last kept one when a row more came back', () => {
    expect(page([1, 2, 3], 2)).toEqual({ items: ['item 1', 'item 2'], nextCursor: 'after 2' });
  });

  it('has no next page when no more than limit rows came back', () => {
    expect(page([1, 2], 2)).toEqual({ items: ['item 1', 'item 2'], nextCursor: null });
    expect(page([], 2)).toEqual({ items: [], nextCursor: null });
  });
});
