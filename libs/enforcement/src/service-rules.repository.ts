import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DELIVERY_RESTART_QUIET_MS } from '@stepwise/queue/queue-catalogue';
import { DESIRED_RULES_COLUMNS, DesiredRulesRow } from './rules-document.view';

/** A generation the webhook of a live connector has not yet applied, or is to be sent again. */
export interface PendingDelivery {
  serviceId: string;
  generation: number;
  /** When a redelivery of the applied generation was asked for (ms), if that is why. */
  redeliveryRequestedAt?: number;
  /**
   * Sends made so far, when the last one is older than DELIVERY_RESTART_QUIET_MS (the rounds of
   * attempts ran out): a new round is due, named by this count.
   */
  restartAfterAttempts?: number;
}

/** Cheap fingerprint of the desired documents: every refresh that changes one changes it. */
export interface DesiredVersion {
  count: number;
  generations: string;
}

const PENDING_WEBHOOKS = `SELECT r.service_id, r.generation, r.redelivery_requested_at,
    CASE WHEN r.redelivery_requested_at IS NULL AND r.last_attempt_at < now() - make_interval(secs => $3)
      THEN r.delivery_attempts END AS restart_after_attempts
  FROM service_rules r JOIN services s ON s.id = r.service_id
  WHERE (r.applied_generation < r.generation OR r.redelivery_requested_at IS NOT NULL)
    AND s.connector_type = 'webhook' AND s.connector_disabled_at IS NULL`;

const DESIRED_VERSION =
  'SELECT count(*)::int AS count, coalesce(sum(generation), 0)::text AS generations FROM service_rules';

/** Reads of `service_rules` that say what they are for; writes live with their fences. */
@Injectable()
export class ServiceRulesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Undelivered generations of live webhook connectors, and applied ones to be sent again;
   * `serviceIds` narrows it to those, `computedBefore` to generations at least that old (and
   * requested redeliveries, however recent: their jobs are deduplicated by the request's instant),
   * `redeliveries` to requested redeliveries.
   */
  async findPendingWebhookDeliveries(
    filter: { serviceIds?: readonly string[]; computedBefore?: Date; redeliveries?: true } = {},
  ): Promise<PendingDelivery[]> {
    const rows = await this.dataSource.query<
      {
        service_id: string;
        generation: number;
        redelivery_requested_at: Date | null;
        restart_after_attempts: number | null;
      }[]
    >(
      `${PENDING_WEBHOOKS} AND ($1::text[] IS NULL OR r.service_id = ANY($1::text[]))
         AND ($2::timestamptz IS NULL OR r.computed_at < $2 OR r.redelivery_requested_at IS NOT NULL)
         ${filter.redeliveries ? 'AND r.redelivery_requested_at IS NOT NULL' : ''}`,
      [filter.serviceIds ?? null, filter.computedBefore ?? null, DELIVERY_RESTART_QUIET_MS / 1000],
    );
    return rows.map((row) => ({
      serviceId: row.service_id,
      generation: row.generation,
      ...(row.redelivery_requested_at === null
        ? {}
        : { redeliveryRequestedAt: row.redelivery_requested_at.getTime() }),
      ...(row.restart_after_attempts === null ? {} : { restartAfterAttempts: row.restart_after_attempts }),
    }));
  }

  async findDesiredRules(serviceId: string): Promise<DesiredRulesRow | null> {
    const [row] = await this.dataSource.query<DesiredRulesRow[]>(
      `SELECT ${DESIRED_RULES_COLUMNS} FROM service_rules WHERE service_id = $1`,
      [serviceId],
    );
    return row ?? null;
  }

  /**
   * Documents computed at or after `since` (all when null), with the version they add up to, read
   * in one snapshot (REPEATABLE READ) so the two always agree: the read model's incremental load.
   */
  async findDesiredRulesComputedSince(
    since: Date | null,
  ): Promise<{ rows: DesiredRulesRow[]; version: DesiredVersion }> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [version] = await manager.query<DesiredVersion[]>(DESIRED_VERSION);
      const rows =
        since === null
          ? await manager.query<DesiredRulesRow[]>(`SELECT ${DESIRED_RULES_COLUMNS} FROM service_rules`)
          : await manager.query<DesiredRulesRow[]>(
              `SELECT ${DESIRED_RULES_COLUMNS} FROM service_rules WHERE computed_at >= $1`,
              [since],
            );
      return { rows, version };
    });
  }

  async desiredVersion(): Promise<DesiredVersion> {
    const [row] = await this.dataSource.query<DesiredVersion[]>(DESIRED_VERSION);
    return row;
  }

  /** Distinct stored next-change instants after now, nearest first: the transitions to schedule. */
  async findUpcomingChangeInstants(manager: EntityManager, limit: number): Promise<number[]> {
    const rows = await manager.query<{ at: Date }[]>(
      `SELECT DISTINCT next_change_at AS at FROM service_rules WHERE next_change_at > now()
       ORDER BY next_change_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.at.getTime());
  }

  async serviceExists(serviceId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM services WHERE id = $1', [serviceId]);
    return rows.length > 0;
  }
}
