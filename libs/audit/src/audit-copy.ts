import { type ClientBase, Query } from 'pg';

/** The part of node-postgres' connection COPY FROM STDIN needs (not in its published types). */
interface CopyConnection {
  stream: { cork(): void; uncork(): void };
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * A simple query holding one `COPY … FROM STDIN` and its data, over node-postgres' own protocol
 * connection. The data follows the query at once rather than after the server's CopyInResponse:
 * the server reads messages in order, so the COPY finds them waiting, and should the query fail
 * before its COPY starts, the protocol has the server drop them (a round trip saved, inside the
 * audit head row's lock). Each chunk is a write of its own, so the server parses the first while
 * the later ones are sent; the query and the first chunk, and the last chunk and CopyDone, share
 * a write. The query may hold other
 * statements around the COPY: the audit group append sends its rows, its head update and its
 * COMMIT in one message. A node-postgres Query underneath (its results, its error and
 * ready-for-query handling, the settle callback), so a pipelining client takes it too.
 */
class CopyInQuery extends Query {
  constructor(
    private readonly sql: string,
    private readonly chunks: Iterable<Buffer>,
    settle: (error: Error | undefined) => void,
  ) {
    super(sql, (error) => settle(error ?? undefined));
  }

  // A property, as node-postgres' types declare it.
  override submit = (connection: unknown): void => {
    const copy = connection as CopyConnection;
    copy.stream.cork();
    try {
      copy.query(this.sql);
      const chunks = this.chunks[Symbol.iterator]();
      let current = chunks.next();
      while (current.done !== true) {
        const following = chunks.next();
        copy.sendCopyFromChunk(current.value);
        if (following.done !== true) {
          copy.stream.uncork();
          copy.stream.cork();
        }
        current = following;
      }
      copy.endCopyFrom();
    } catch (error) {
      // The server answers CopyFail with an error, which settles this query.
      copy.sendCopyFail(error instanceof Error ? error.message : String(error));
    } finally {
      copy.stream.uncork();
    }
  };

  /** The data is on its way already (Query's own would send a CopyFail). */
  handleCopyInResponse(): void {}
}

/** Runs `sql` (which holds one COPY FROM STDIN) with `chunks` as its data; rejects on the first error. */
export function copyIn(client: ClientBase, sql: string, chunks: Iterable<Buffer>): Promise<void> {
  return new Promise((resolve, reject) => {
    void client.query(
      new CopyInQuery(sql, chunks, (error) => {
        if (error) {
          reject(error);
        } else {
          resolve();
        }
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
  if (pending.length > 0) {
    chunks.push(Buffer.from(pending.join('')));
  }
  return chunks;
}

/** Every column of `audit_events`, in the order the COPY rows give them. */
export const AUDIT_COPY_COLUMNS =
  '(seq, occurred_at, actor_id, actor_name, actor_role, action, resource_type, resource_id, before, after, reason, request_id, outcome, prev_hash, hash)';
