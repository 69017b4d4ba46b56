import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { DomainError } from '@stepwise/common/domain-error';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import {
  type AdoptionFormat,
  type BadRow,
  GENERIC_COLUMNS,
  SnapshotCollector,
  type SnapshotCounts,
} from '@stepwise/domain/adoption-file';
import { readCsv, readJson } from './adoption-file-reader';
import { AdoptionSnapshotRepository, type StoredSnapshotView } from './adoption-snapshot.repository';

/** A file as it arrives: CSV bytes (a stream from the CLI, a buffer over HTTP) or a parsed JSON document. */
export type AdoptionFileInput =
  { kind: 'csv'; content: Readable | Buffer | string } | { kind: 'json'; document: unknown };

export interface AdoptionImportResult {
  sha256: string;
  format: AdoptionFormat;
  /** True when this file was imported before: nothing was added. */
  unchanged: boolean;
  rows: number;
  added: StoredSnapshotView[];
  badRows: number;
  /** The first bad rows, each by line (CSV) or item number (JSON). */
  bad: BadRow[];
}

/**
 * Imports an adoption file: streamed, reduced to counts (no per-person row is kept), stored with
 * the file's SHA-256 so the same file twice adds nothing, and audited in the same transaction.
 */
@Injectable()
export class AdoptionImportService {
  private readonly zone: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly snapshots: AdoptionSnapshotRepository,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.zone = config.get('STEPWISE_TIMEZONE', { infer: true });
  }

  async import(
    context: AuditContext,
    format: AdoptionFormat,
    input: AdoptionFileInput,
  ): Promise<AdoptionImportResult> {
    const populations = await this.snapshots.knownPopulations(this.dataSource.manager);
    const collector = new SnapshotCollector(new Set(populations), this.zone);
    const sha256 = await this.read(format, input, collector);
    const counts = collector.snapshots();
    const base = { sha256, format, rows: collector.rows, badRows: collector.badCount, bad: collector.bad };
    return this.auditLog.run(context, async ({ manager, audit }) => {
      if (await this.snapshots.fileKnown(manager, sha256)) {
        return { ...base, unchanged: true, added: [] };
      }
      if (counts.length === 0) {
        return { ...base, unchanged: false, added: [] };
      }
      const recordedAt = this.clock.now().toJSDate();
      const added = await this.snapshots.insert(manager, counts, {
        source: format,
        fileSha256: sha256,
        importedById: context.actor.id,
        importedByName: context.actor.name,
        recordedAt,
      });
      const result: AdoptionImportResult = { ...base, unchanged: false, added };
      audit({
        action: 'adoption.snapshots-imported',
        resourceType: 'adoption-file',
        resourceId: sha256,
        after: { ...result, bad: result.bad.slice(0, 20) },
      });
      return result;
    });
  }

  private async read(
    format: AdoptionFormat,
    input: AdoptionFileInput,
    collector: SnapshotCollector,
  ): Promise<string> {
    if (format !== 'generic') {
      throw DomainError.validation([{ field: 'format', message: `'${format}' files are not read yet` }]);
    }
    const sink = (record: Readonly<Record<string, unknown>>, line: number) =>
      collector.addGeneric(record, line);
    if (input.kind === 'json') {
      return readJson(input.document, GENERIC_COLUMNS, sink);
    }
    const source =
      input.content instanceof Readable ? input.content : Readable.from([Buffer.from(input.content)]);
    return readCsv(source, GENERIC_COLUMNS, collector, sink);
  }
}

export type { SnapshotCounts };
