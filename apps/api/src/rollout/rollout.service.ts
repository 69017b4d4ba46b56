import { Injectable } from '@nestjs/common';
import { Clock } from '@stepwise/common/clock';
import { PageCursor, pageLimit, PageRequest, toPage } from '@stepwise/common/page-cursor';
import {
  ROLLOUT_STATES,
  RolloutCountsDto,
  RolloutItemDto,
  RolloutResponseDto,
  RolloutState,
} from './rollout.dto';
import { RolloutCounts } from './rollout-counts';
import { RolloutRepository, RolloutRow } from './rollout.repository';

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

const ROLLOUT_CURSOR = new PageCursor('rollout', ['string']);

export interface RolloutPageRequest extends PageRequest {
  state?: RolloutState;
}

/** Desired versus applied rules per service, in pages by service id, with the counts by state. */
@Injectable()
export class RolloutService {
  private readonly counts: RolloutCounts;

  constructor(
    private readonly repository: RolloutRepository,
    clock: Clock,
  ) {
    this.counts = new RolloutCounts(() => repository.countServicesByRolloutState(), clock);
  }

  /** One page of the services (only those in `state`, if given); the counts are of every service. */
  async rollout(request: RolloutPageRequest): Promise<RolloutResponseDto> {
    const limit = pageLimit(request);
    const [afterServiceId] = request.cursor === undefined ? [] : ROLLOUT_CURSOR.decode(request.cursor);
    const [rows, counted] = await Promise.all([
      // One row more than the page tells whether a next page exists.
      this.repository.findRolloutPage({ state: request.state, afterServiceId, limit: limit + 1 }),
      this.counts.current(),
    ]);
    const counts = Object.fromEntries(
      ROLLOUT_STATES.map((state) => [state, counted.counts.get(state) ?? 0]),
    ) as unknown as RolloutCountsDto;
    const page = toPage(rows, limit, toItem, (last) => ROLLOUT_CURSOR.encode([last.service_id]));
    return { counts, countedAt: new Date(counted.countedAt).toISOString(), ...page };
  }
}

function toItem(row: RolloutRow): RolloutItemDto {
  return {
    service: row.service_id,
    connector: row.connector_type,
    state: row.state,
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
