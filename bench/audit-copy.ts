import type { Client, Submittable } from 'pg';

/** The part of node-postgres' connection COPY FROM STDIN needs (not in its published types). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * `COPY … FROM STDIN` over node-postgres' own protocol connection, the way pg-copy-streams does it
 * (that package is not installed here, and this is the raw COPY the benchmark peer is about).
 */
class CopyIn implements Submittable {
  constructor(
    private readonly sql: string,
    private readonly chunks: readonly Buffer[],
    private readonly settle: (error?: Error) => void,
  ) {}

  submit(connection: unknown): void {
    (connection as CopyConnection).query(this.sql);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.chunks) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

  handleError(error: Error): void {
    this.settle(error);
  }

  handleReadyForQuery(): void {
    this.settle();
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

export function copyIn(client: Client, sql: string, chunks: readonly Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    client.query(
      new CopyIn(sql, chunks, (error) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      }),
    );
  });
}

/** One value in COPY's text format: `\N` for NULL, backslash escapes for the separators. */
export const copyField = (value: string | number | null): string =>
  value === null
    ? '\\N'
    : String(value)
        .replaceAll('\\', '\\\\')
        .replaceAll('\n', '\\n')
        .replaceAll('\r', '\\r')
        .replaceAll('\t', '\\t');

/** Rows as COPY text, cut into chunks of about `chunkBytes`. */
export function copyChunks(rows: Iterable<(string | number | null)[]>, chunkBytes = 1 << 20): Buffer[] {
  const chunks: Buffer[] = [];
  let pending: string[] = [];
  let size = 0;
  for (const row of rows) {
    const line = `${row.map(copyField).join('\t')}\n`;
    pending.push(line);
    size += line.length;
    if (size >= chunkBytes) {
      chunks.push(Buffer.from(pending.join('')));
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) chunks.push(Buffer.from(pending.join('')));
  return chunks;
}

export const AUDIT_COPY_COLUMNS =
  '(seq, occurred_at, actor_id, actor_name, actor_role, action, resource_type, resource_id, before, after, reason, request_id, outcome, prev_hash, hash)';
