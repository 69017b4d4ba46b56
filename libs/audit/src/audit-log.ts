import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '@stepwise/common/principal';
import type { AuditAction, AuditOutcome } from './audit-actions';
import { appendToChain } from './audit-chain-writer';
import { CopyAppender } from './audit-copy-append';
import { CopyReadyAuditEvent } from './copy-ready-audit-event';
import { AuditGroupCommit } from './audit-group-commit';
import type { UnplacedAuditFields } from './audit-prehash';
import { claimIdempotencyKey, IdempotencyClaim } from '@stepwise/idempotency/idempotency-claim';

export interface AuditEventInput {
  action: AuditAction;
  resourceType: string;
  resourceId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  outcome?: AuditOutcome;
}

/** Who acts and under which request; every event of one change shares it. */
export interface AuditContext {
  actor: Principal;
  requestId: string | null;
  /** The request's `Idempotency-Key`, claimed in the transaction of its (first) change. */
  idempotency?: IdempotencyClaim;
}

/** What a change sees inside its transaction: the manager for its statements, and `audit`. */
export interface AuditedTransaction {
  manager: EntityManager;
  audit(event: AuditEventInput): void;
}

/** The changes of several callers in one transaction: each event and key claim names its caller. */
export interface SharedAuditedTransaction {
  manager: EntityManager;
  audit(context: AuditContext, event: AuditEventInput): void;
  /** Claims the caller's `Idempotency-Key` (if it has one not claimed yet) with the rest. */
  claimKey(context: AuditContext): Promise<void>;
}

/**
 * The event short of its place on the chain. `before` and `after` stay as given: they are stored
 * as their JSON and hashed as jsonb gives them back (see `storedJsonText`).
 */
const fieldsOf = (context: AuditContext, event: AuditEventInput): UnplacedAuditFields => ({
  actor: { id: context.actor.id, name: context.actor.name, role: context.actor.role },
  action: event.action,
  resourceType: event.resourceType,
  resourceId: event.resourceId,
  before: event.before ?? null,
  after: event.after ?? null,
  reason: event.reason ?? null,
  requestId: context.requestId,
  outcome: event.outcome ?? 'success',
});

/**
 * The audit log's only writer, with two ways in, named for when to use them:
 * - `change`: a write that changes state. The change and its events run in one transaction:
 *   both are stored or neither is. Appends serialise on the head row (O(1), no scan) and take it
 *   last, so the lock is held only for the few statements before commit.
 * - `record`: events that are the whole write (refusals, worker outcomes), group-committed with
 *   other callers' events.
 */
@Injectable()
export class AuditLog implements OnApplicationShutdown {
  private readonly groupCommit: AuditGroupCommit<CopyReadyAuditEvent>;
  private readonly appender: CopyAppender;

  constructor(private readonly dataSource: DataSource) {
    this.appender = new CopyAppender(dataSource);
    this.groupCommit = new AuditGroupCommit((events) => this.appender.append(events));
  }

  /** Closes the group commit's own connections (the pipeline and its clock). */
  async onApplicationShutdown(): Promise<void> {
    await this.appender.close();
  }

  /**
   * A change and its events in one transaction, the caller's `Idempotency-Key` claimed with them.
   * Without a context: the changes of several callers at once (a group commit of changes), each
   * event and key claim naming its own caller; the claims count as made once it committed.
   */
  change<T>(context: AuditContext, change: (tx: AuditedTransaction) => Promise<T>): Promise<T>;
  change<T>(change: (tx: SharedAuditedTransaction) => Promise<T>): Promise<T>;
  async change<T>(
    first: AuditContext | ((tx: SharedAuditedTransaction) => Promise<T>),
    single?: (tx: AuditedTransaction) => Promise<T>,
  ): Promise<T> {
    if (typeof first === 'function') {
      return this.shared(first);
    }
    const change = single as (tx: AuditedTransaction) => Promise<T>;
    return this.shared(async (shared) => {
      await shared.claimKey(first);
      return change({ manager: shared.manager, audit: (event) => shared.audit(first, event) });
    });
  }

  private async shared<T>(change: (tx: SharedAuditedTransaction) => Promise<T>): Promise<T> {
    const claims: IdempotencyClaim[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const events: UnplacedAuditFields[] = [];
      const changed = await change({
        manager,
        audit: (context, event) => events.push(fieldsOf(context, event)),
        claimKey: async (context) => {
          const claim = context.idempotency;
          if (claim === undefined || claim.claimed || claims.includes(claim)) {
            return;
          }
          await claimIdempotencyKey(manager, context.actor.id, claim);
          claims.push(claim);
        },
      });
      await appendToChain(manager, events);
      return changed;
    });
    for (const claim of claims) {
      claim.claimed = true;
    }
    return result;
  }

  /**
   * Events that are the whole write (refusals, worker outcomes). Concurrent calls share a
   * transaction (group commit, the rows written by COPY); each resolves once its events are
   * committed.
   */
  record(context: AuditContext, ...events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) {
      return Promise.resolve();
    }
    let prepared: CopyReadyAuditEvent[];
    try {
      // Prepared here, so an event JSON or COPY cannot hold fails its own caller only.
      prepared = events.map((event) => new CopyReadyAuditEvent(fieldsOf(context, event)));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // Not an async function: no frame holding the caller's arguments while the group commits.
    return this.groupCommit.submit(prepared);
  }
}
