import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '@stepwise/common/principal';
import type { AuditAction, AuditOutcome } from './audit-actions';
import { appendToChain } from './audit-chain-writer';
import { AuditGroupCommit } from './audit-group-commit';
import { PrehashedAuditEvent } from './audit-prehash';

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
}

/** What a change sees inside its transaction: the manager for its statements, and `audit`. */
export interface AuditedTransaction {
  manager: EntityManager;
  audit(event: AuditEventInput): void;
}

/** JSON as jsonb will give it back, so the hash recomputed from the stored row is the same. */
const asStoredJson = (value: unknown): unknown =>
  value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));

/** Serialised before the head row is locked, so the lock is held for hashing's last step only. */
const prepare = (context: AuditContext, event: AuditEventInput): PrehashedAuditEvent =>
  new PrehashedAuditEvent({
    actor: { id: context.actor.id, name: context.actor.name, role: context.actor.role },
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    before: asStoredJson(event.before),
    after: asStoredJson(event.after),
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
export class AuditLog {
  private readonly groupCommit: AuditGroupCommit<PrehashedAuditEvent>;

  constructor(private readonly dataSource: DataSource) {
    this.groupCommit = new AuditGroupCommit(dataSource, appendToChain);
  }

  async run<T>(context: AuditContext, change: (tx: AuditedTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const events: AuditEventInput[] = [];
      const result = await change({ manager, audit: (event) => events.push(event) });
      await this.appendAll(manager, context, events);
      return result;
    });
  }

  /**
   * Appends events that have no change of their own (refusals, worker outcomes). Concurrent
   * calls share a transaction (group commit); each resolves once its events are committed.
   */
  async append(context: AuditContext, ...events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) return;
    // Prepared here, so an event JSON cannot hold fails its own caller only.
    await this.groupCommit.submit(events.map((event) => prepare(context, event)));
  }

  /** Appends events inside a transaction the caller already holds. */
  async appendAll(
    manager: EntityManager,
    context: AuditContext,
    events: readonly AuditEventInput[],
  ): Promise<void> {
    await appendToChain(
      manager,
      events.map((event) => prepare(context, event)),
    );
  }
}
