import { DomainError } from '@stepwise/common/domain-error';
import { decodeCursor, encodeCursor } from './audit-cursor';

describe('audit page cursor', () => {
  it.each([1, 50, 1_000_000, Number.MAX_SAFE_INTEGER])('carries seq %d through encode and decode', (seq) => {
    expect(decodeCursor(encodeCursor(seq))).toBe(seq);
  });

  it('is opaque: no raw number a caller could mistake for an offset', () => {
    expect(encodeCursor(42)).not.toContain('42');
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'seq:10!'],
    ['a bare number', '10'],
    ['another prefix', Buffer.from('id:10').toString('base64url')],
    ['zero', Buffer.from('seq:0').toString('base64url')],
    ['a negative seq', Buffer.from('seq:-3').toString('base64url')],
    ['a fraction', Buffer.from('seq:1.5').toString('base64url')],
    ['beyond a safe integer', Buffer.from('seq:9999999999999999').toString('base64url')],
  ])('refuses %s as a validation error naming cursor', (_label, cursor) => {
    const attempt = () => decodeCursor(cursor);
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(/^cursor: /);
  });
});
