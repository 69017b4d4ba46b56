import { CSV_COLUMNS, csvHeader, toCsvRow } from './audit-csv';
import { validChain } from './testing/audit-chain.fixture';

describe(toCsvRow.name, () => {
  const [event] = validChain(1);

  it('writes the header once with the documented columns', () => {
    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(CSV_COLUMNS).toContain('actor.id');
  });

  it('quotes fields holding commas, quotes or line breaks and doubles the quotes', () => {
    const row = toCsvRow({ ...event, reason: 'a "b", c\nd' });
    expect(row).toContain(',"desk, ""north""",');
    expect(row).toContain(',"a ""b"", c\nd",');
    expect(row.endsWith('\r\n')).toBe(true);
  });

  it('writes before/after as JSON text and null as an empty field', () => {
    const actor = { id: 'a', name: 'plain', role: 'admin' };
    const row = toCsvRow({ ...event, actor, before: null, after: { n: 1 }, reason: null });
    const cells = row.trimEnd().split(',');
    expect(cells[CSV_COLUMNS.indexOf('before')]).toBe('');
    expect(cells[CSV_COLUMNS.indexOf('after')]).toBe('"{""n"":1}"');
    expect(cells[CSV_COLUMNS.indexOf('reason')]).toBe('');
  });

  it.each(['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tx', '\r=1'])(
    'disarms text a spreadsheet would run as a formula: %j',
    (reason) => {
      const cells = toCsvRow({ ...event, reason }).trimEnd();
      expect(cells).toContain(`'${reason.replaceAll('"', '""')}`);
    },
  );

  it('leaves numbers and ordinary text as they are', () => {
    const row = toCsvRow({ ...event, reason: 'revised after review' });
    expect(row.startsWith(`${event.seq},`)).toBe(true);
    expect(row).toContain(',revised after review,');
  });
});
