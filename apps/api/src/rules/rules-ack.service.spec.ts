import type {
  AuditContext,
  AuditEventInput,
  AuditLog,
  SharedAuditedTransaction,
} from '@stepwise/audit/audit-log';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import type { AppliedGeneration, RulesApplier } from '@stepwise/enforcement/rules-applier';
import type { ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';
import { RulesAckService } from './rules-ack.service';

interface Row {
  service_id: string;
  generation: number;
  applied_generation: number;
}

const connectorOf = (serviceId: string): AuditContext => ({
  actor: { id: `token-of-${serviceId}`, name: serviceId, role: 'connector', services: [serviceId] },
  requestId: `request-for-${serviceId}`,
  idempotency: { key: `key-${serviceId}`, fingerprint: 'f', route: 'POST ack', claimed: false },
});

/** Fakes of our own ports: a shared transaction over `rows`, and an applier that audits each entry. */
function harness(rows: Row[]) {
  const transactions: { events: [AuditContext, AuditEventInput][]; claimed: string[] }[] = [];
  const applied: AppliedGeneration[][] = [];
  const auditLog = {
    change: async <T>(change: (tx: SharedAuditedTransaction) => Promise<T>): Promise<T> => {
      const transaction = { events: [] as [AuditContext, AuditEventInput][], claimed: [] as string[] };
      transactions.push(transaction);
      return change({
        manager: {
          query: async (_sql: string, [ids]: [string[]]) =>
            rows.filter((row) => ids.includes(row.service_id)),
        } as never,
        audit: (context, event) => transaction.events.push([context, event]),
        claimKey: async (context) => {
          transaction.claimed.push(context.actor.id);
        },
      });
    },
  } as unknown as AuditLog;
  const applier = {
    applyInTransaction: async (
      tx: { audit(event: AuditEventInput): void },
      entries: AppliedGeneration[],
    ): Promise<Set<string>> => {
      applied.push(entries);
      for (const entry of entries) {
        tx.audit({ action: 'rules.applied', resourceType: 'service', resourceId: entry.serviceId });
      }
      return new Set(entries.map((entry) => entry.serviceId));
    },
  } as unknown as RulesApplier;
  const repository = { serviceExists: async () => false } as unknown as ServiceRulesRepository;
  return { sut: new RulesAckService(auditLog, applier, repository), transactions, applied };
}

describe(RulesAckService.name, () => {
  it('judges acks that arrive together in one transaction, each under its own caller', async () => {
    const { sut, transactions, applied } = harness([
      { service_id: 'a', generation: 3, applied_generation: 1 },
      { service_id: 'b', generation: 3, applied_generation: 3 },
      { service_id: 'c', generation: 3, applied_generation: 2 },
      { service_id: 'd', generation: 3, applied_generation: 2 },
    ]);
    const answers = await Promise.allSettled([
      sut.ack(connectorOf('a'), 'a', 3),
      sut.ack(connectorOf('b'), 'b', 3), // a retried ack of the applied generation
      sut.ack(connectorOf('c'), 'c', 4), // never issued
      sut.ack(connectorOf('d'), 'd', 1), // older than applied
    ]);

    expect(transactions).toHaveLength(1);
    expect(answers.map((answer) => answer.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    const [, , never, older] = answers as PromiseRejectedResult[];
    expect(never.reason).toBeInstanceOf(DomainError);
    expect((never.reason as DomainError).message).toMatch('generation 4 has not been issued');
    expect((older.reason as DomainError).message).toMatch('older than the applied generation 2');
    // Only the new generation is applied; only the acks that were taken claim their keys.
    expect(applied).toEqual([[{ serviceId: 'a', generation: 3, via: 'ack' }]]);
    expect(transactions[0].claimed).toEqual(['token-of-a', 'token-of-b']);
    expect(
      transactions[0].events.map(([context, event]) => [
        context.actor.id,
        context.requestId,
        event.resourceId,
      ]),
    ).toEqual([['token-of-a', 'request-for-a', 'a']]);
  });

  it('takes a second ack of the same service into the next transaction, never the same one', async () => {
    const { sut, transactions, applied } = harness([
      { service_id: 'a', generation: 3, applied_generation: 1 },
    ]);
    await Promise.all([sut.ack(connectorOf('a'), 'a', 2), sut.ack(connectorOf('a'), 'a', 3)]);
    expect(transactions).toHaveLength(2);
    expect(applied.map((entries) => entries.map((entry) => entry.generation))).toEqual([[2], [3]]);
  });

  it('answers an ack of a service without rules with the 404 for an unknown service', async () => {
    const { sut, transactions } = harness([]);
    await expect(sut.ack(connectorOf('x'), 'x', 1)).rejects.toMatchObject({
      code: ErrorCode.NotFound,
      message: "service 'x' does not exist",
    });
    expect(transactions[0].claimed).toEqual([]);
  });
});
