import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '@stepwise/common/principal';
import type { AuditAction, AuditOutcome } from './audit-actions';
import { appendToChain } from './audit-chain-writer';
import { CopyAppender } from './audit-copy-append';
import { CopyReadyAuditEvent } from './copy-ready-audit-event';
import { AuditGroupCommit } from './audit-group-commit';
import type { UnplacedAuditFields } from './audit-prehash';
import { claimIdempotencyKey, IdempotencyClaim } from './idempotency-claim';

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
 * The audit log's only writer. `run` executes a change and appends its events in one
 * transaction: both are stored or neither is. Appends serialise on the head row (O(1), no scan)
 * and take it last, so the lock is held only for the few statements before commit.
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

  async run<T>(context: AuditContext, change: (tx: AuditedTransaction) => Promise<T>): Promise<T> {
    const claim = context.idempotency?.claimed === false ? context.idempotency : undefined;
    const result = await this.dataSource.transaction(async (manager) => {
      if (claim) await claimIdempotencyKey(manager, context.actor.id, claim);
      const events: AuditEventInput[] = [];
      const changed = await change({ manager, audit: (event) => events.push(event) });
      await this.appendAll(manager, context, events);
      return changed;
    });
    if (claim) claim.claimed = true;
    return result;
  }

  /**
   * Appends events that have no change of their own (refusals, worker outcomes). Concurrent
   * calls share a transaction (group commit, the rows written by COPY); each resolves once its
   * events are committed.
   */
  append(context: AuditContext, ...events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
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

  /** Appends events inside a transaction the caller already holds. */
  async appendAll(
    manager: EntityManager,
    context: AuditContext,
    events: readonly AuditEventInput[],
  ): Promise<void> {
    await appendToChain(
      manager,
      events.map((event) => fieldsOf(context, event)),
    );
  }
}
