import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Principal } from '@stepwise/common/principal';
import { AuditEventEntity } from '@stepwise/persistence/audit-event.entity';
import type { AuditAction, AuditOutcome } from './audit-actions';
import { auditEventHash } from './audit-hash';

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

/**
 * The audit log's only writer. `run` executes a change and appends its events in one
 * transaction: both are stored or neither is. Appends serialise on the head row (O(1), no scan)
 * and take it last, so the lock is held only for the few statements before commit.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(context: AuditContext, change: (tx: AuditedTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const events: AuditEventInput[] = [];
      const result = await change({ manager, audit: (event) => events.push(event) });
      await this.appendAll(manager, context, events);
      return result;
    });
  }

  /** Appends events on their own (refusals, worker outcomes) in a transaction of their own. */
  async append(context: AuditContext, ...events: AuditEventInput[]): Promise<void> {
    await this.dataSource.transaction((manager) => this.appendAll(manager, context, events));
  }

  async appendAll(
    manager: EntityManager,
    context: AuditContext,
    events: readonly AuditEventInput[],
  ): Promise<void> {
    if (events.length === 0) return;
    // TypeORM answers an UPDATE … RETURNING with [rows, rowCount].
    const [[head]] = await manager.query<[[{ seq: string; hash: string; now: Date }], number]>(
      `UPDATE audit_head SET seq = seq + $1 WHERE id = 1
       RETURNING seq::text AS seq, hash, clock_timestamp() AS now`,
      [events.length],
    );
    const occurredAt = new Date(head.now).toISOString();
    let seq = Number(head.seq) - events.length;
    let prevHash = head.hash;
    const entities = events.map((event) => {
      seq += 1;
      const fields = {
        seq,
        occurredAt,
        actor: { id: context.actor.id, name: context.actor.name, role: context.actor.role },
        action: event.action,
        resourceType: event.resourceType,
        resourceId: event.resourceId,
        before: asStoredJson(event.before),
        after: asStoredJson(event.after),
        reason: event.reason ?? null,
        requestId: context.requestId,
        outcome: event.outcome ?? 'success',
        prevHash,
      };
      const hash = auditEventHash(fields);
      prevHash = hash;
      return manager.create(AuditEventEntity, {
        seq: String(fields.seq),
        occurredAt: new Date(occurredAt),
        actorId: fields.actor.id,
        actorName: fields.actor.name,
        actorRole: fields.actor.role,
        action: fields.action,
        resourceType: fields.resourceType,
        resourceId: fields.resourceId,
        before: fields.before,
        after: fields.after,
        reason: fields.reason,
        requestId: fields.requestId,
        outcome: fields.outcome,
        prevHash: fields.prevHash,
        hash,
      });
    });
    // `before`/`after` are arbitrary JSON, which TypeORM's partial-entity type cannot express.
    await manager.insert(AuditEventEntity, entities as QueryDeepPartialEntity<AuditEventEntity>[]);
    await manager.query('UPDATE audit_head SET hash = $1 WHERE id = 1', [prevHash]);
  }
}
