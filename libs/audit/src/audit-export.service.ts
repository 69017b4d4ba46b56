import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { csvHeader, toCsvRow } from './audit-csv';
import type { AuditFilter } from './audit-filter';
import { toNdjsonLine } from './audit-ndjson';
import { AuditReader } from './audit-reader';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Streams events oldest first (the order a verifier walks the chain), one batch in memory at a
 * time; the stream pulls the next batch only when the client has taken the last one. The export
 * ends at the head as it was when it started, so it is one well-defined prefix of the chain.
 */
@Injectable()
export class AuditExportService {
  constructor(private readonly reader: AuditReader) {}

  stream(format: ExportFormat, filter: AuditFilter): Readable {
    return Readable.from(this.chunks(format, filter), { objectMode: false });
  }

  private async *chunks(format: ExportFormat, filter: AuditFilter): AsyncGenerator<string> {
    if (format === 'csv') {
      yield csvHeader();
    }
    const line = format === 'csv' ? toCsvRow : toNdjsonLine;
    const { lastSeq } = await this.reader.end();
    for await (const batch of this.reader.batches(filter, { upToSeq: lastSeq })) {
      yield batch.map(line).join('');
    }
  }
}
