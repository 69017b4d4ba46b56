import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type CsvError } from 'csv-parse';
import { DomainError } from '@stepwise/common/domain-error';
import { canonicalJson } from '@stepwise/domain/canonical-json';
import { checkColumns, type ColumnSpec, type SnapshotCollector } from '@stepwise/domain/adoption-file';

/** Called with each record of a file and its line (CSV) or item number (JSON). */
export type RecordSink = (record: Readonly<Record<string, unknown>>, line: number) => void;

class ColumnsRefused extends Error {
  constructor(readonly domainError: DomainError) {
    super(domainError.message);
  }
}

/**
 * Streams a CSV file through csv-parse, hashing the bytes as they pass: memory stays flat however
 * long the file. The header must match `spec` (else 400 naming the columns, nothing read); a row
 * csv-parse cannot read is counted as bad by its line and the rest go on.
 */
export async function readCsv(
  source: Readable,
  spec: ColumnSpec,
  collector: SnapshotCollector,
  sink: RecordSink,
): Promise<string> {
  const hash = createHash('sha256');
  // A second 'data' listener beside the pipe: the bytes are hashed as they pass, without a stream hop.
  source.on('data', (chunk: Buffer | string) => hash.update(chunk));
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // The line of each record, from the parser's context (cheaper than `info`, which doubles the cost).
    on_record: (record: Record<string, string>, context: { lines: number }) => ({
      record,
      line: context.lines,
    }),
    // Values are trimmed where read (csv-parse's own trim costs a third of its speed); names here.
    columns: (raw: string[]) => {
      const header = raw.map((name) => name.trim());
      const errors = checkColumns(header, spec);
      if (errors.length > 0) {
        throw new ColumnsRefused(DomainError.validation(errors));
      }
      return header;
    },
  });
  parser.on('skip', (error: CsvError) => collector.reject(Number(error.lines ?? 0), error.message));
  try {
    await pipeline(
      source,
      parser,
      async (records: AsyncIterable<{ record: Record<string, string>; line: number }>) => {
        for await (const { record, line } of records) {
          sink(record, line);
        }
      },
    );
  } catch (error) {
    throw unwrap(error);
  }
  return hash.digest('hex');
}

function unwrap(error: unknown): unknown {
  if (error instanceof ColumnsRefused) {
    return error.domainError;
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof ColumnsRefused) {
    return cause.domainError;
  }
  if (error instanceof Error && (error as CsvError).code?.startsWith('CSV_')) {
    return DomainError.validation([{ field: 'file', message: `cannot be read as CSV: ${error.message}` }]);
  }
  return error;
}

/**
 * A JSON document already parsed (an HTTP body, or a file read whole): an array of records, or
 * `{ value: [...] }` as Microsoft Graph pages it. Identified by the SHA-256 of its canonical JSON,
 * so the same content sent by the API or the CLI is one file.
 */
export function readJson(document: unknown, spec: ColumnSpec, sink: RecordSink): string {
  const items = Array.isArray(document)
    ? document
    : typeof document === 'object' &&
        document !== null &&
        Array.isArray((document as { value?: unknown }).value)
      ? (document as { value: unknown[] }).value
      : undefined;
  if (items === undefined) {
    throw DomainError.validation([
      { field: 'file', message: 'must be a JSON array of records (or { "value": [...] })' },
    ]);
  }
  const columns = new Set<string>();
  for (const item of items) {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      Object.keys(item as object).forEach((key) => columns.add(key));
    }
  }
  const errors = checkColumns([...columns], { required: spec.required, optional: spec.optional });
  if (errors.length > 0) {
    throw DomainError.validation(errors);
  }
  items.forEach((item, index) => {
    const record =
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? (item as Record<string, unknown>)
        : {};
    sink(record, index + 1);
  });
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}
