import { Injectable } from '@nestjs/common';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { RulesApplier } from '@stepwise/enforcement/rules-applier';
import { ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';

/** 404 for an unknown service, 409 for a known one whose rules the worker has not computed yet. */
export async function rulesNotFound(
  repository: ServiceRulesRepository,
  serviceId: string,
): Promise<DomainError> {
  if (!(await repository.serviceExists(serviceId))) return DomainError.notFound('service', serviceId);
  return new DomainError(
    ErrorCode.Conflict,
    `the rules of service '${serviceId}' have not been computed yet; the worker computes them on the next ` +
      'refresh (at most one sweep interval): retry shortly',
  );
}

/**
 * A pull connector acknowledging the generation it applied. Fenced like a webhook 2xx: the
 * applied generation only grows, and the ack and its `rules.applied` event commit together.
 */
@Injectable()
export class RulesAckService {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly applier: RulesApplier,
    private readonly repository: ServiceRulesRepository,
  ) {}

  async ack(context: AuditContext, serviceId: string, generation: number): Promise<void> {
    const state = await this.auditLog.run(context, async (tx) => {
      const [row] = await tx.manager.query<{ generation: number; applied_generation: number }[]>(
        'SELECT generation, applied_generation FROM service_rules WHERE service_id = $1 FOR UPDATE',
        [serviceId],
      );
      if (row === undefined) return 'not-found';
      if (generation > row.generation) {
        throw conflict(
          `generation ${generation} has not been issued; the current generation is ${row.generation}`,
        );
      }
      if (generation < row.applied_generation) {
        throw conflict(
          `generation ${generation} is older than the applied generation ${row.applied_generation}; ` +
            'fetch the current rules and acknowledge those',
        );
      }
      // Acknowledging the applied generation again is a retried request: it changes nothing.
      if (generation > row.applied_generation) {
        await this.applier.applyInTransaction(tx, [{ serviceId, generation, via: 'ack' }]);
      }
      return 'ok';
    });
    if (state === 'not-found') throw await rulesNotFound(this.repository, serviceId);
  }
}

const conflict = (message: string): DomainError => new DomainError(ErrorCode.Conflict, message);
