import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import {
  type AdoptionFormat,
  type BadRow,
  GENERIC_COLUMNS,
  SnapshotCollector,
  type SnapshotCounts,
} from '@stepwise/domain/adoption-file';
import { classifyPerson, PEOPLE_COLUMNS, type PopulationMapping } from '@stepwise/domain/adoption-people';
import { readCsv, readJson } from './adoption-file-reader';
import { loadPopulationMapping } from './adoption-mapping';
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
  /** Per-person exports: people left out of the denominator, by reason. */
  leftOut?: Record<string, number>;
}

export interface AdoptionImportOptions {
  /** The instant a per-person export describes (epoch ms); default now. */
  asOf?: number;
}

/**
 * Imports an adoption file: streamed, reduced to counts (no per-person row is kept), stored with
 * the file's SHA-256 so the same file twice adds nothing, and audited in the same transaction.
 */
@Injectable()
export class AdoptionImportService {
  private readonly zone: string;
  private readonly mappingFile: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly clock: Clock,
    private readonly snapshots: AdoptionSnapshotRepository,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.zone = config.get('STEPWISE_TIMEZONE', { infer: true });
    this.mappingFile = config.get('STEPWISE_ADOPTION_MAPPING_FILE', { infer: true });
  }

  async import(
    context: AuditContext,
    format: AdoptionFormat,
    input: AdoptionFileInput,
    options: AdoptionImportOptions = {},
  ): Promise<AdoptionImportResult> {
    const populations = new Set(await this.snapshots.knownPopulations(this.dataSource.manager));
    const collector = new SnapshotCollector(populations, this.zone);
    const leftOut: Record<string, number> = {};
    const sha256 =
      format === 'generic'
        ? await this.readGeneric(input, collector)
        : await this.readPeople(format, input, collector, leftOut, {
            mapping: loadPopulationMapping(this.mappingFile, populations),
            asOf: options.asOf ?? this.clock.nowMs(),
          });
    const counts = collector.snapshots();
    const base = {
      sha256,
      format,
      rows: collector.rows,
      badRows: collector.badCount,
      bad: collector.bad,
      ...(format === 'generic' ? {} : { leftOut }),
    };
    return this.auditLog.change(context, async ({ manager, audit }) => {
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

  private async readPeople(
    format: Exclude<AdoptionFormat, 'generic'>,
    input: AdoptionFileInput,
    collector: SnapshotCollector,
    leftOut: Record<string, number>,
    { mapping, asOf }: { mapping: PopulationMapping; asOf: number },
  ): Promise<string> {
    const sink = (record: Readonly<Record<string, unknown>>, line: number) => {
      collector.rows += 1;
      const person = classifyPerson(record, format, mapping);
      if (person.kind === 'bad') {
        collector.reject(line, person.message);
      } else if (person.kind === 'left-out') {
        leftOut[person.why] = (leftOut[person.why] ?? 0) + 1;
      } else {
        collector.addPerson(person.population, asOf, person.registered ? 'registered' : 'unregistered');
      }
    };
    const spec = PEOPLE_COLUMNS[format];
    if (input.kind === 'json') {
      // Google's users.list pages its users under `users`; Graph under `value`.
      const document = input.document as { users?: unknown } | null;
      const people = format === 'google' && document?.users !== undefined ? document.users : input.document;
      return readJson(people, spec, sink);
    }
    return readCsv(this.stream(input.content), spec, collector, sink);
  }

  private stream(content: Readable | Buffer | string): Readable {
    return content instanceof Readable ? content : Readable.from([Buffer.from(content)]);
  }

  private async readGeneric(input: AdoptionFileInput, collector: SnapshotCollector): Promise<string> {
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
