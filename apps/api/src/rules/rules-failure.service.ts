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
    // A refusal is thrown inside the transaction, so that it rolls back with everything the
    // request claimed there (its Idempotency-Key): a refused report changes nothing.
    try {
      await this.record(context, serviceId, generation, error);
    } catch (failure) {
      if (failure instanceof NoRulesRow) {
        throw await rulesNotFound(this.repository, serviceId);
      }
      throw failure;
    }
  }

  private async record(context: AuditContext, serviceId: string, generation: number, error: string) {
    await this.auditLog.change(context, async (tx) => {
      const [row] = await tx.manager.query<ReportedRow[]>(
        'SELECT generation, applied_generation, last_error FROM service_rules WHERE service_id = $1 FOR UPDATE',
        [serviceId],
      );
      if (row === undefined) {
        throw new NoRulesRow();
      }
      if (generation > row.generation) {
        throw conflict(
          `generation ${generation} has not been issued; the current generation is ${row.generation}`,
        );
      }
      if (generation <= row.applied_generation) {
        throw conflict(
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
    });
  }
}

/** No rules row: answered outside the transaction (404 or 409, see rulesNotFound). */
class NoRulesRow extends Error {}

const conflict = (message: string): DomainError => new DomainError(ErrorCode.Conflict, message);
