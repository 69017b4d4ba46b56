import { Injectable } from '@nestjs/common';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { GroupBatcher } from '@stepwise/common/group-batcher';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { RulesApplier } from '@stepwise/enforcement/rules-applier';
import { ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';

/** 404 for an unknown service, 409 for a known one whose rules the worker has not computed yet. */
export async function rulesNotFound(
  repository: ServiceRulesRepository,
  serviceId: string,
): Promise<DomainError> {
  if (!(await repository.serviceExists(serviceId))) {
    return DomainError.notFound('service', serviceId);
  }
  return new DomainError(
    ErrorCode.Conflict,
    `the rules of service '${serviceId}' have not been computed yet; the worker computes them on the next ` +
      'refresh (at most one sweep interval): retry shortly',
  );
}

interface AckInput {
  context: AuditContext;
  serviceId: string;
  generation: number;
}

/** Recorded (or already recorded), no rules row for the service, or refused with a 409. */
type AckOutcome = 'recorded' | 'not-found' | DomainError;

const LOCK_ROWS = `SELECT service_id, generation, applied_generation FROM service_rules
  WHERE service_id = ANY($1::text[]) ORDER BY service_id FOR UPDATE`;

/**
 * A pull connector acknowledging the generation it applied. Fenced like a webhook 2xx: the
 * applied generation only grows, and the ack and its `rules.applied` event commit together.
 * Concurrent acks (a fleet of enforcement points after a publication) share one transaction and
 * one audit append, as the worker's webhook applies do: one transaction each would hold the
 * chain's head through one WAL flush per ack. Each keeps its own actor, request id, key claim and
 * answer; a refused ack changes nothing.
 */
@Injectable()
export class RulesAckService {
  private readonly batcher: GroupBatcher<AckInput, AckOutcome>;

  constructor(
    private readonly auditLog: AuditLog,
    private readonly applier: RulesApplier,
    private readonly repository: ServiceRulesRepository,
  ) {
    this.batcher = new GroupBatcher({
      run: (inputs) => this.ackMany(inputs),
      keyOf: (input) => input.serviceId,
    });
  }

  async ack(context: AuditContext, serviceId: string, generation: number): Promise<void> {
    const outcome = await this.batcher.submit({ context, serviceId, generation });
    if (outcome === 'not-found') {
      throw await rulesNotFound(this.repository, serviceId);
    }
    if (outcome instanceof DomainError) {
      throw outcome;
    }
  }

  /** One transaction for a group: rows locked in id order, each ack judged, the new ones applied. */
  private ackMany(inputs: readonly AckInput[]): Promise<AckOutcome[]> {
    return this.auditLog.change(async (tx) => {
      const rows = await tx.manager.query<AckedRow[]>(LOCK_ROWS, [inputs.map((input) => input.serviceId)]);
      const byId = new Map(rows.map((row) => [row.service_id, row]));
      const outcomes = inputs.map((input) => judge(input, byId.get(input.serviceId)));
      const applying = new Map<string, AckInput>();
      for (const [index, input] of inputs.entries()) {
        if (outcomes[index] !== 'recorded') {
          continue;
        }
        await tx.claimKey(input.context);
        // Acknowledging the applied generation again is a retried request: it changes nothing.
        if (input.generation > (byId.get(input.serviceId) as AckedRow).applied_generation) {
          applying.set(input.serviceId, input);
        }
      }
      await this.applier.applyInTransaction(
        {
          manager: tx.manager,
          audit: (event) => tx.audit((applying.get(event.resourceId) as AckInput).context, event),
        },
        [...applying.values()].map(({ serviceId, generation }) => ({ serviceId, generation, via: 'ack' })),
      );
      return outcomes;
    });
  }
}

interface AckedRow {
  service_id: string;
  generation: number;
  applied_generation: number;
}

function judge(input: AckInput, row: AckedRow | undefined): AckOutcome {
  if (row === undefined) {
    return 'not-found';
  }
  if (input.generation > row.generation) {
    return conflict(
      `generation ${input.generation} has not been issued; the current generation is ${row.generation}`,
    );
  }
  if (input.generation < row.applied_generation) {
    return conflict(
      `generation ${input.generation} is older than the applied generation ${row.applied_generation}; ` +
        'fetch the current rules and acknowledge those',
    );
  }
  return 'recorded';
}

const conflict = (message: string): DomainError => new DomainError(ErrorCode.Conflict, message);
