import { Injectable } from '@nestjs/common';
import { RolloutRow, ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';
import { ROLLOUT_STATES, RolloutItemDto, RolloutResponseDto, RolloutState } from './rollout.dto';

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** Desired versus applied rules of every service, read from PostgreSQL (operators want it exact). */
@Injectable()
export class RolloutService {
  constructor(private readonly repository: ServiceRulesRepository) {}

  /** Every service's entry, or only those in `state`; the counts are always of every service. */
  async rollout(state?: RolloutState): Promise<RolloutResponseDto> {
    const items = (await this.repository.findRollout()).map(toItem);
    const counts = Object.fromEntries(ROLLOUT_STATES.map((each) => [each, 0])) as Record<
      RolloutState,
      number
    >;
    for (const item of items) {
      counts[item.state] += 1;
    }
    return { counts, items: state === undefined ? items : items.filter((item) => item.state === state) };
  }
}

export function rolloutState(row: RolloutRow): RolloutState {
  if (row.connector_disabled_at !== null) {
    return 'disabled';
  }
  const applied = row.applied_generation ?? 0;
  if (row.generation !== null && applied >= row.generation && row.redelivery_requested_at === null) {
    return 'in-sync';
  }
  if (row.connector_type === 'webhook' && row.last_error !== null) {
    return 'failing';
  }
  return 'pending';
}

function toItem(row: RolloutRow): RolloutItemDto {
  return {
    service: row.service_id,
    connector: row.connector_type,
    state: rolloutState(row),
    desiredGeneration: row.generation,
    appliedGeneration: row.applied_generation ?? 0,
    attempts: row.delivery_attempts ?? 0,
    lastError: row.last_error,
    lastAttemptAt: iso(row.last_attempt_at),
    lastAppliedAt: iso(row.applied_at),
    duplicateDeliveries: row.duplicate_deliveries ?? 0,
    disabledAt: iso(row.connector_disabled_at),
    disabledReason: row.connector_disabled_reason,
  };
}
