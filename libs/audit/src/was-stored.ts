import type { Socket } from 'node:net';
import type { ClientBase, Pool } from 'pg';

/** Where the chain ends: its last seq and hash. */
export interface ChainEnd {
  seq: number;
  hash: string;
}

/** The server process behind a connection, as `pg_stat_activity` shows it. */
export interface Backend {
  pid: number;
  /**
   * The connection's port on our side (-1 over a Unix socket, as PostgreSQL shows it): with the
   * pid, it does not name a later backend that happens to get the same pid.
   */
  clientPort: number;
}

/** The backend behind a connected client; null when it cannot be told. */
export function backendOf(client: ClientBase): Backend | null {
  // node-postgres keeps the pid from the server's BackendKeyData and the socket on its
  // connection; neither is in its published types.
  const pid = (client as unknown as { processID?: number | null }).processID;
  const { connection } = client as unknown as { connection?: { stream?: Partial<Socket> } };
  if (typeof pid !== 'number') {
    return null;
  }
  return { pid, clientPort: connection?.stream?.localPort ?? -1 };
}

/**
 * Whether a sent group was stored cannot be told: its callers fail, and it is not sent again (see
 * AuditGroupCommit), since it may be stored already.
 */
export class StoredUnknownError extends Error {
  override readonly name = 'StoredUnknownError';
}

/**
 * A group was sent, and its connection was lost before the answer came: was it stored? The
 * backend that ran it may still be at it (waiting on the head row with the whole message in its
 * buffer, say), so it is ended first, waiting until it is gone; then the group's last row tells.
 * A row there is durable: the group committed synchronously, and another session sees a commit
 * only once it is flushed. Rather than guess, any failure here is a StoredUnknownError.
 */
export async function wasStored(pool: Pool, backend: Backend, end: ChainEnd): Promise<boolean> {
  try {
    const client = await pool.connect();
    try {
      const listed = `FROM pg_stat_activity WHERE pid = $1 AND client_port = $2`;
      const ids = [backend.pid, backend.clientPort];
      // Its answer is not what tells: a backend that saw its client go and exited on its own
      // between the scan and the signal makes it false. Whether it is still listed afterwards
      // does (a statement of its own, as a transaction keeps the activity it first read).
      await client.query(`SELECT pg_terminate_backend(pid, 5000) ${listed}`, ids);
      const still = await client.query(`SELECT 1 ${listed}`, ids);
      if (still.rows.length > 0) {
        throw new Error(`backend ${backend.pid} did not end within 5 s`);
      }
      const stored = await client.query('SELECT 1 FROM audit_events WHERE seq = $1 AND hash = $2', [
        end.seq,
        end.hash,
      ]);
      return stored.rows.length > 0;
    } finally {
      client.release();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoredUnknownError(
      `audit group sent, its connection lost, and whether it was stored is unknown: ${reason}`,
    );
  }
}
