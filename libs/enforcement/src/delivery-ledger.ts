import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectorType } from '@stepwise/persistence/service.entity';
import { GroupBatcher } from '@stepwise/common/group-batcher';
import { PreparedStatement, runPrepared } from '@stepwise/persistence/prepared-statement';
import { DesiredRulesText } from './rules-document.view';

/** The service and its rules as the database holds them when a send is about to start. */
export interface DeliveryTarget extends DesiredRulesText {
  applied_generation: number;
  connector_type: ConnectorType;
  webhook_url: string | null;
  webhook_secret_enc: string | null;
  connector_disabled_at: Date | null;
  /** True when this send was recorded (the caller sends now); false: nothing to send. */
  claimed: boolean;
  /** Not claimed because another send of this generation holds the lease. */
  busy: boolean;
  /** This send repeats a send of the same generation whose outcome was never learnt. */
  duplicate: boolean;
}

// One statement for a group of sends about to start: it reads the current state and records
// each send before it leaves (attempts, a lease, and whether an earlier send of the generation
// is still "open": started, outcome unknown, after a crash or a timeout; such a repeat may reach
// a receiver that already has the message and is counted as a duplicate delivery).
//
// No row is locked before the UPDATE: its conditions are on the row itself, so when another
// worker's claim of the same row commits first, PostgreSQL re-checks them against that newer
// version and this claim skips a row that is now busy (one heap write per row, not a lock and a
// write; the race is tested in enforcement-ledger.e2e-spec). `current` is read in id order and
// the prepared statement's plan walks it in that order, so two groups lock rows in the same
// order; were a deadlock ever reported, the batcher retries that group one claim at a time. A
// row that looked claimable but was not claimed changed under the claim: it is reported busy
// (look again later). An applied generation is claimable again while a redelivery of it is asked.
const CLAIMABLE = `(c.applied_generation < c.generation OR c.redelivery_requested_at IS NOT NULL)
  AND NOT c.busy AND c.connector_type = 'webhook' AND c.connector_disabled_at IS NULL
  AND c.webhook_url IS NOT NULL AND c.webhook_secret_enc IS NOT NULL`;
const CLAIM: PreparedStatement = {
  name: 'delivery-ledger-claim',
  text: `WITH current AS (
    SELECT r.service_id, r.generation, r.hash, r.rules::text AS rules_json, r.next_change_at, r.computed_at,
      r.applied_generation, r.redelivery_requested_at, r.duplicate_deliveries, s.connector_type, s.webhook_url, s.webhook_secret_enc,
      s.connector_disabled_at,
      coalesce(r.send_open AND r.sent_generation = r.generation AND r.send_lease_until > now(), false) AS busy
    FROM service_rules r JOIN services s ON s.id = r.service_id
    -- Both sides by primary key: a small group must never cost a scan of the directory.
    WHERE r.service_id = ANY($1::text[]) AND s.id = ANY($1::text[]) ORDER BY r.service_id
  ), claimed AS (
    UPDATE service_rules r SET delivery_attempts = r.delivery_attempts + 1, last_attempt_at = now(),
      duplicate_deliveries = r.duplicate_deliveries
        + CASE WHEN r.send_open AND r.sent_generation = r.generation THEN 1 ELSE 0 END,
      sent_generation = r.generation, send_open = true, send_lease_until = now() + make_interval(secs => $2),
      sent_redelivery_requested_at = c.redelivery_requested_at
    FROM current c
    WHERE r.service_id = c.service_id AND ${CLAIMABLE}
      -- Re-checked on the row's newest version if a concurrent claim or refresh changed it, or a
      -- redelivery was asked (a new webhook URL, perhaps, which \`current\` did not read).
      AND r.generation = c.generation
      AND r.redelivery_requested_at IS NOT DISTINCT FROM c.redelivery_requested_at
      AND (r.applied_generation < r.generation OR r.redelivery_requested_at IS NOT NULL)
      AND NOT coalesce(r.send_open AND r.sent_generation = r.generation AND r.send_lease_until > now(), false)
    RETURNING r.service_id, r.duplicate_deliveries > c.duplicate_deliveries AS duplicate
  )
  SELECT c.service_id, c.generation, c.hash, c.rules_json, c.next_change_at, c.computed_at, c.applied_generation,
    c.connector_type, c.webhook_url, c.webhook_secret_enc, c.connector_disabled_at,
    cl.service_id IS NOT NULL AS claimed, coalesce(cl.duplicate, false) AS duplicate,
    c.busy OR (cl.service_id IS NULL AND ${CLAIMABLE}) AS busy
  FROM current c LEFT JOIN claimed cl ON cl.service_id = c.service_id`,
};

/**
 * The send-side bookkeeping of webhook delivery: which generation was sent, how often, who holds
 * it, and what went wrong. The applied generation is not written here (RulesApplier fences it).
 */
@Injectable()
export class DeliveryLedger {
  private readonly claims: GroupBatcher<{ serviceId: string; leaseMs: number }, DeliveryTarget | null>;

  constructor(private readonly dataSource: DataSource) {
    this.claims = new GroupBatcher({
      run: (inputs) =>
        this.claimMany(
          inputs.map((input) => input.serviceId),
          Math.max(...inputs.map((i) => i.leaseMs)),
        ),
      keyOf: (input) => input.serviceId,
    });
  }

  /**
   * Records a send of the current generation about to start, holding it for `leaseMs` (the send's
   * timeout and a margin). Null when the service has no computed rules (nothing to deliver yet).
   */
  claim(serviceId: string, leaseMs: number): Promise<DeliveryTarget | null> {
    return this.claims.submit({ serviceId, leaseMs });
  }

  private async claimMany(serviceIds: string[], leaseMs: number): Promise<(DeliveryTarget | null)[]> {
    const { rows } = await runPrepared<DeliveryTarget>(this.dataSource.manager, CLAIM, [
      serviceIds,
      leaseMs / 1000,
    ]);
    const byId = new Map(rows.map((row) => [row.service_id, row]));
    return serviceIds.map((id) => byId.get(id) ?? null);
  }

  /**
   * A send of `generation` failed and the lease is released. `outcomeUnknown` (a timeout): the
   * receiver may have it, so the send stays open and a repeat counts as a duplicate; a refusal or
   * an HTTP answer closes it.
   */
  async recordFailure(
    serviceId: string,
    generation: number,
    error: string,
    outcomeUnknown: boolean,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE service_rules SET last_error = $3, send_open = send_open AND $4, send_lease_until = NULL
       WHERE service_id = $1 AND sent_generation = $2`,
      [serviceId, generation, error.slice(0, 1000), outcomeUnknown],
    );
  }

  /**
   * The last send, its error, and the sends made since the last apply (a fan-out batch's first
   * send included, which its retry job does not count), for reports written after the job gave up.
   */
  async lastSend(
    serviceId: string,
  ): Promise<{ sentGeneration: number | null; lastError: string | null; attempts: number } | null> {
    const [row] = await this.dataSource.query<
      { sent_generation: number | null; last_error: string | null; delivery_attempts: number }[]
    >('SELECT sent_generation, last_error, delivery_attempts FROM service_rules WHERE service_id = $1', [
      serviceId,
    ]);
    return row === undefined
      ? null
      : { sentGeneration: row.sent_generation, lastError: row.last_error, attempts: row.delivery_attempts };
  }
}
