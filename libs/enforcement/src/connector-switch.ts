import { Injectable } from '@nestjs/common';
import type { AuditedTransaction } from '@stepwise/audit/audit-log';

export interface DisabledConnector {
  disabledAt: Date;
  reason: string;
}

/**
 * Turns a webhook connector off (its receiver answered 410 Gone) and back on (a planner asks for
 * a redelivery). Both bump the service's version, its ETag: the service record did change, so an
 * editor holding the old version must re-read it. Each runs in the caller's audited transaction.
 */
@Injectable()
export class ConnectorSwitch {
  /** False when it was already disabled (another worker got the 410 first): nothing audited. */
  async disable(
    { manager, audit }: AuditedTransaction,
    serviceId: string,
    reason: string,
    generation: number,
  ): Promise<boolean> {
    const [rows] = await manager.query<[{ id: string }[], number]>(
      `UPDATE services SET connector_disabled_at = now(), connector_disabled_reason = $2, version = version + 1,
         updated_at = now()
       WHERE id = $1 AND connector_disabled_at IS NULL RETURNING id`,
      [serviceId, reason],
    );
    if (rows.length === 0) {
      return false;
    }
    audit({
      action: 'connector.disabled',
      resourceType: 'service',
      resourceId: serviceId,
      before: { disabledAt: null },
      after: { disabledReason: reason, generation },
      reason,
    });
    return true;
  }

  /** Returns what was cleared, or null when the connector was not disabled. */
  async enable(
    { manager, audit }: AuditedTransaction,
    serviceId: string,
    reason: string | null,
  ): Promise<DisabledConnector | null> {
    const [rows] = await manager.query<[{ disabled_at: Date; disabled_reason: string | null }[], number]>(
      `UPDATE services s SET connector_disabled_at = NULL, connector_disabled_reason = NULL,
         version = s.version + 1, updated_at = now()
       FROM (SELECT id, connector_disabled_at AS disabled_at, connector_disabled_reason AS disabled_reason
             FROM services WHERE id = $1 AND connector_disabled_at IS NOT NULL FOR UPDATE) old
       WHERE s.id = old.id RETURNING old.disabled_at, old.disabled_reason`,
      [serviceId],
    );
    if (rows.length === 0) {
      return null;
    }
    const [old] = rows;
    audit({
      action: 'connector.enabled',
      resourceType: 'service',
      resourceId: serviceId,
      before: { disabledAt: old.disabled_at.toISOString(), disabledReason: old.disabled_reason },
      after: { disabledAt: null },
      reason,
    });
    return { disabledAt: old.disabled_at, reason: old.disabled_reason ?? '' };
  }
}
