import { type Pool, type PoolClient, type QueryResult } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { LockedHead, lockHead, placedGroup, storeGroup } from './audit-chain-writer';
import { AUDIT_COPY_COLUMNS, copyIn } from './audit-copy';
import { CopyReadyAuditEvent } from './copy-ready-audit-event';
import { Backend, backendOf, ChainEnd, wasStored } from './was-stored';
import { PipelineConnection } from './pipeline-connection';

/**
 * Moves the head from `from` to `to`, or fails (not_null_violation on audit_head.seq) when the
 * chain does not end at `from`. Sound on the pipeline: the group before this one on the connection
 * has committed or failed by the time this runs, and should another writer hold the row, the new
 * row is computed again, and checked again, from the row that writer committed.
 */
const moveHead = (from: ChainEnd, to: ChainEnd): string =>
  `UPDATE audit_head SET hash = '${to.hash}',
     seq = CASE WHEN seq = ${from.seq} AND hash = '${from.hash}' THEN ${to.seq} END
   WHERE id = 1`;

/**
 * A pipelined group was placed after an end that did not hold: the head is elsewhere (another
 * writer appended, or the group before it did not commit), or a group sent before it on the
 * pipeline failed, leaving the transaction it starts in aborted.
 */
const placedOnStaleEnd = (error: unknown): boolean => {
  const { code, table } = error as { code?: string; table?: string };
  return (code === '23502' && table === 'audit_head') || code === '25P02';
};

/**
 * The connection, not the group, failed (the server ended it, or the socket broke), so the group
 * may be sent again on another, unless it was sent and stored after all (only its answer lost),
 * which wasStored tells.
 */
const connectionLost = (error: unknown): boolean => {
  const { code, message } = error as { code?: string; message?: string };
  // SQLSTATE connection exceptions and operator interventions; Node's socket errors (ECONNRESET…).
  if (typeof code === 'string' && /^(08|57P|E[A-Z]+$)/.test(code)) {
    return true;
  }
  return /Connection terminated|not queryable/i.test(message ?? '');
};

/** How long idle pipeline connections stay open, by default. */
const PIPELINE_IDLE_MS = 5_000;

/**
 * Appends groups of events, each in one transaction, resolving each only after its COMMIT; on any
 * failure nothing of the group is stored.
 *
 * Groups are pipelined on one connection of their own: while one commits, the next is hashed and
 * sent behind it, so PostgreSQL and Node work at once. A pipelined group is placed where the chain
 * will end once the groups sent before it commit: it reads the database clock (its events'
 * instant, on a second connection of its own, since the first is busy with the group before),
 * hashes its rows after that end and sends `BEGIN`, the head's new seq and hash (moved only if the
 * chain still ends where the group was hashed for), the rows as one `COPY` and `COMMIT` in one
 * message. The connection runs its messages in order, so a group runs only after the one before
 * it committed or failed; should that one have failed, its transaction stays aborted and every
 * group sent behind it fails too, until the ROLLBACK the failure sends. Should another writer have
 * appended in between, the head check refuses the group. Either way the group is placed again
 * under the head row's lock.
 *
 * Under the lock (the first group, and any after a failure): `BEGIN` and the head row's lock on a
 * pooled connection (which gives the seqs, the previous hash and the clock), then the rows, the
 * head's new hash and `COMMIT`. Only once it committed is the next group placed after it.
 */
export class CopyAppender {
  private expectedEnd: ChainEnd | null = null;
  private previousPlaced: Promise<void> = Promise.resolve();
  private pipeline: PipelineConnection | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly idleMs = PIPELINE_IDLE_MS,
  ) {}

  async append(events: readonly CopyReadyAuditEvent[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    const previousPlaced = this.previousPlaced;
    let placed = (): void => undefined;
    this.previousPlaced = new Promise((resolve) => (placed = resolve));
    try {
      await previousPlaced;
      const pipelined = await this.appendPipelined(events, placed).catch((error: unknown) => {
        if (connectionLost(error)) {
          return 'lost' as const;
        }
        throw error;
      });
      if (pipelined === 'committed') {
        return;
      }
      const inTurn = pipelined === 'not-sent';
      await this.appendUnderLock(events, inTurn).catch((error: unknown) => {
        // Once more, on a fresh connection: nothing of the group was stored (see appendUnderLock).
        if (connectionLost(error)) {
          return this.appendUnderLock(events, inTurn);
        }
        throw error;
      });
    } finally {
      placed();
    }
  }

  /** Closes the pipeline's connections (on shutdown); appends after it open them again. */
  async close(): Promise<void> {
    await this.pipeline?.close();
  }

  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  private async appendPipelined(
    events: readonly CopyReadyAuditEvent[],
    placed: () => void,
  ): Promise<'committed' | 'not-sent' | 'stale' | 'lost'> {
    if (this.expectedEnd === null) {
      return 'not-sent';
    }
    const pipeline = this.openPipeline();
    const now = await pipeline.clock();
    const end = this.expectedEnd;
    if (end === null) {
      return 'not-sent';
    }
    const group = placedGroup({ seq: String(end.seq + events.length), hash: end.hash, now }, events);
    this.expectedEnd = group.end;
    placed();
    try {
      await pipeline.copy(
        `BEGIN;
         ${moveHead(end, group.end)};
         COPY audit_events ${AUDIT_COPY_COLUMNS} FROM STDIN;
         COMMIT`,
        group.chunks,
      );
      return 'committed';
    } catch (error) {
      this.expectedEnd = null;
      pipeline.rollBack();
      if (placedOnStaleEnd(error)) {
        return 'stale';
      }
      return (await this.storedDespite(error, pipeline.backend, group.end)) ? 'committed' : 'lost';
    }
  }

  /** `error` came after the group ending at `end` was sent: was it stored? Rethrows any other. */
  private async storedDespite(error: unknown, backend: Backend | null, end: ChainEnd): Promise<boolean> {
    if (!connectionLost(error) || backend === null) {
      throw error;
    }
    return wasStored(this.pool, backend, end);
  }

  /**
   * `inTurn`: the group has its turn (the next waits until it committed), so where it ends is
   * where the next is expected to go; a group placed again after a failure is out of turn.
   */
  private async appendUnderLock(events: readonly CopyReadyAuditEvent[], inTurn: boolean): Promise<void> {
    const client = await this.pool.connect();
    const backend = backendOf(client);
    let sent: ChainEnd | null = null;
    const end = await inOwnTransaction(client, () =>
      writeUnderLock(client, events, (group) => (sent = group)),
    ).catch(async (error: unknown) => {
      // Lost before the group was sent, nothing of it stored: the caller sends it again.
      if (sent === null || !(await this.storedDespite(error, backend, sent))) {
        throw error;
      }
      return sent;
    });
    if (inTurn) {
      this.expectedEnd = end;
    }
  }

  private openPipeline(): PipelineConnection {
    if (this.pipeline === null || this.pipeline.broken) {
      const pipeline = new PipelineConnection(this.pool.options, this.idleMs, () => {
        if (this.pipeline !== pipeline) {
          return;
        }
        this.pipeline = null;
        // Closed after a quiet spell, in which other writers have likely appended: the next group
        // goes under the lock rather than be refused where this one expected the chain to end.
        this.expectedEnd = null;
      });
      this.pipeline = pipeline;
    }
    return this.pipeline;
  }
}

async function inOwnTransaction<T>(client: PoolClient, write: () => Promise<T>): Promise<T> {
  // The pool stops listening while a client is out, and an 'error' event nobody listens to ends
  // the process; the client's queries fail with it anyway.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  let failure: Error | undefined;
  try {
    return await write();
  } catch (error) {
    // The connection is closed rather than rolled back: closing aborts the transaction and frees
    // the head row just the same, and a ROLLBACK on a connection that was lost would never be
    // answered. Failed groups are rare (most bad events are refused before they join one).
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.removeListener('error', ignore);
    client.release(failure);
  }
}

/** `sending` hears where the group will end just before its rows and COMMIT are sent. */
async function writeUnderLock(
  client: PoolClient,
  events: readonly CopyReadyAuditEvent[],
  sending: (end: ChainEnd) => void,
): Promise<ChainEnd> {
  // Two statements in one simple-protocol message answer with one result each.
  const [, locked] = (await client.query(`BEGIN; ${lockHead(events.length)}`)) as unknown as [
    QueryResult,
    QueryResult<LockedHead>,
  ];
  const head = locked.rows[0];
  if (!/^[0-9]+$/.test(head.seq)) {
    throw new Error(`audit head seq is not a number: ${head.seq}`);
  }
  const group = placedGroup(head, events);
  sending(group.end);
  await copyIn(client, `${storeGroup(group.end)}; COMMIT`, group.chunks);
  return group.end;
}
