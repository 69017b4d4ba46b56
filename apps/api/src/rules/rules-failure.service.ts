import { Injectable } from '@nestjs/common';
import { AuditContext, AuditLog } from '@stepwise/audit/audit-log';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import { ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';
import { rulesNotFound } from './rules-ack.service';

interface ReportedRow {
  generation: number;
  applied_generation: number;
  last_error: string | null;
}

/**
 * An enforcement point (a connector, the agent) telling Stepwise it could not apply a generation:
 * the reason becomes the service's last error, so the rollout view shows the service as failing
 * until a generation is acknowledged (which clears it). Only the newest issued, not yet applied
 * generations can fail: anything else is a stale report and changes nothing (409). Reporting the
 * same failure again stores it again: the report is its own idempotent retry.
 */
@Injectable()
export class RulesFailureService {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly repository: ServiceRulesRepository,
  ) {}

  async report(context: AuditContext, serviceId: string, generation: number, error: string): Promise<void> {
    const outcome = await this.auditLog.run(context, async (tx) => {
      const [row] = await tx.manager.query<ReportedRow[]>(
        'SELECT generation, applied_generation, last_error FROM service_rules WHERE service_id = $1 FOR UPDATE',
        [serviceId],
      );
      if (row === undefined) {
        return 'not-found' as const;
      }
      if (generation > row.generation) {
        return conflict(
          `generation ${generation} has not been issued; the current generation is ${row.generation}`,
        );
      }
      if (generation <= row.applied_generation) {
        return conflict(
          `generation ${generation} is not newer than the applied generation ${row.applied_generation}: ` +
            'a failure can only be reported for a generation not yet applied',
        );
      }
      const lastError = `the enforcement point could not apply generation ${generation}: ${error}`;
      await tx.manager.query(
        'UPDATE service_rules SET last_error = $2, last_attempt_at = now() WHERE service_id = $1',
        [serviceId, lastError],
      );
      tx.audit({
        action: 'rules.apply-failed',
        resourceType: 'service',
        resourceId: serviceId,
        before: { lastError: row.last_error },
        after: { generation, lastError, via: 'report' },
      });
      return 'recorded' as const;
    });
    if (outcome === 'not-found') {
      throw await rulesNotFound(this.repository, serviceId);
    }
    if (outcome instanceof DomainError) {
      throw outcome;
    }
  }
}

const conflict = (message: string): DomainError => new DomainError(ErrorCode.Conflict, message);
