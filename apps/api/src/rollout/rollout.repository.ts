import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectorType } from '@stepwise/persistence/service.entity';
import type { RolloutState } from './rollout.dto';

/** One row of the rollout view: the service, its connector and both halves of its rules state. */
export interface RolloutRow {
  service_id: string;
  connector_type: ConnectorType;
  state: RolloutState;
  connector_disabled_at: Date | null;
  connector_disabled_reason: string | null;
  generation: number | null;
  applied_generation: number | null;
  applied_at: Date | null;
  delivery_attempts: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  duplicate_deliveries: number | null;
}

export interface RolloutPageQuery {
  state?: RolloutState;
  /** The last service id of the previous page. */
  afterServiceId?: string;
  limit: number;
}

/**
 * A service's rollout state, over `services s LEFT JOIN service_rules r`, in SQL so that a page
 * can be filtered by it and the counts need not load every row. disabled: the receiver answered
 * 410; in-sync: the desired generation is applied and no redelivery is outstanding; failing: the
 * last webhook send failed, or the enforcement point reported it could not apply a generation;
 * pending: anything else (not yet applied, never computed).
 */
export const ROLLOUT_STATE_SQL = `CASE
    WHEN s.connector_disabled_at IS NOT NULL THEN 'disabled'
    WHEN r.generation IS NOT NULL AND coalesce(r.applied_generation, 0) >= r.generation
      AND r.redelivery_requested_at IS NULL THEN 'in-sync'
    WHEN r.last_error IS NOT NULL THEN 'failing'
    ELSE 'pending'
  END`;

const ROLLOUT_FROM = 'services s LEFT JOIN service_rules r ON r.service_id = s.id';

/** Desired versus applied rules per service, read from PostgreSQL (operators want it exact). */
@Injectable()
export class RolloutRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page of services by id, with their rollout state, only those in `state` if given. */
  findRolloutPage(page: RolloutPageQuery): Promise<RolloutRow[]> {
    const params: unknown[] = [];
    const conditions: string[] = [];
    if (page.state !== undefined) {
      params.push(page.state);
      conditions.push(`${ROLLOUT_STATE_SQL} = $${params.length}`);
    }
    if (page.afterServiceId !== undefined) {
      params.push(page.afterServiceId);
      conditions.push(`s.id > $${params.length}`);
    }
    params.push(page.limit);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.dataSource.query<RolloutRow[]>(
      `SELECT s.id AS service_id, s.connector_type, ${ROLLOUT_STATE_SQL} AS state,
         s.connector_disabled_at, s.connector_disabled_reason, r.generation, r.applied_generation,
         r.applied_at, r.delivery_attempts, r.last_error, r.last_attempt_at, r.duplicate_deliveries
       FROM ${ROLLOUT_FROM} ${where} ORDER BY s.id LIMIT $${params.length}`,
      params,
    );
  }

  /** How many services are in each state, of every service; a state with none is absent. */
  async countServicesByRolloutState(): Promise<Map<RolloutState, number>> {
    const rows = await this.dataSource.query<{ state: RolloutState; count: number }[]>(
      `SELECT ${ROLLOUT_STATE_SQL} AS state, count(*)::int AS count FROM ${ROLLOUT_FROM} GROUP BY 1`,
    );
    return new Map(rows.map((row) => [row.state, row.count]));
  }
}
