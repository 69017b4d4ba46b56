import { CopyReadyAuditEvent } from './copy-ready-audit-event';
import type { UnplacedAuditFields } from './audit-prehash';

/** COPY text format back to values: `\N` is NULL, backslash escapes undone. */
const decodeCopyRow = (line: string): (string | null)[] =>
  line
    .split('\t')
    .map((field) =>
      field === '\\N'
        ? null
        : field.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c),
    );

const fields = (overrides: Partial<UnplacedAuditFields> = {}): UnplacedAuditFields => ({
  actor: { id: 'u-1', name: 'Ann', role: 'planner' },
  action: 'auth.denied',
  resourceType: 'route',
  resourceId: 'POST /api/v1/tokens',
  before: null,
  after: { b: 1, a: 'x' },
  reason: null,
  requestId: 'req-1',
  outcome: 'denied',
  ...overrides,
});

describe(CopyReadyAuditEvent.name, () => {
  it('writes the eleven columns the chain does not decide, JSON null as SQL NULL and JSON canonical', () => {
    const sut = new CopyReadyAuditEvent(fields());
    expect(decodeCopyRow(sut.columns)).toEqual([
      'u-1',
      'Ann',
      'planner',
      'auth.denied',
      'route',
      'POST /api/v1/tokens',
      null,
      '{"a":"x","b":1}',
      null,
      'req-1',
      'denied',
    ]);
  });

  it('escapes tabs, newlines and backslashes so that each value reads back as given', () => {
    const reason = 'tab\there\nnew line\r\\ back\\slash \\N';
    const after = { note: 'quote " and \\ and \n' };
    const sut = new CopyReadyAuditEvent(fields({ reason, after }));
    expect(sut.columns.split('\t')).toHaveLength(11);
    const columns = decodeCopyRow(sut.columns);
    expect(columns[8]).toBe(reason);
    expect(JSON.parse(columns[7] ?? '')).toEqual(after);
  });

  it.each([
    ['a NUL', 'nul \u0000 here'],
    ['a lone high surrogate', 'broken \ud800 pair'],
    ['a lone low surrogate', 'broken \udc00 pair'],
  ])('refuses %s in a text column, naming the field', (_label, text) => {
    expect(() => new CopyReadyAuditEvent(fields({ reason: text }))).toThrow(/reason/);
    expect(() => new CopyReadyAuditEvent(fields({ actor: { id: 'u', name: text, role: 'r' } }))).toThrow(
      /actor\.name/,
    );
  });

  it('keeps a well-formed surrogate pair', () => {
    const sut = new CopyReadyAuditEvent(fields({ reason: 'emoji 😀' }));
    expect(decodeCopyRow(sut.columns)[8]).toBe('emoji 😀');
  });
});
