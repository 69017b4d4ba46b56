import { Injectable } from '@nestjs/common';
import type { AuditContext } from '@stepwise/audit/audit-log';
import { systemActor } from '@stepwise/common/principal';
import { GroupBatcher } from '@stepwise/common/group-batcher';
import { AppliedGeneration, RulesApplier } from './rules-applier';

const WORKER: AuditContext = { actor: systemActor('worker'), requestId: null };

/**
 * Group commit for webhook applies. Every apply appends to the audit chain, which serialises on
 * its head row, so one transaction per delivery would cap throughput at one commit per delivery;
 * here concurrent applies share one fenced UPDATE and one audit append, in one transaction.
 */
@Injectable()
export class RulesApplyBatcher {
  private readonly batcher: GroupBatcher<AppliedGeneration, boolean>;

  constructor(applier: RulesApplier) {
    this.batcher = new GroupBatcher({
      run: async (entries) => {
        const applied = await applier.applyMany(WORKER, entries);
        return entries.map((entry) => applied.has(entry.serviceId));
      },
      keyOf: (entry) => entry.serviceId,
    });
  }

  /** True when this call moved the applied generation; false when it was already there. */
  apply(entry: AppliedGeneration): Promise<boolean> {
    return this.batcher.submit(entry);
  }
}
