import { DataSource } from 'typeorm';
import { systemActor } from '@stepwise/common/principal';
import { DeliveryLedger } from '@stepwise/enforcement/delivery-ledger';
import { RulesApplier } from '@stepwise/enforcement/rules-applier';
import { ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';
import { insertPolicy, insertWebhookServices, rulesStates } from './enforcement-fixtures';
import { startTestApi, TestApi } from './support/test-api';

const WORKER = { actor: systemActor('worker'), requestId: null };
const LEASE_MS = 60_000;

// The database rules every worker obeys, tested where they live: the claim that records a send
// (attempts, lease, duplicates) and the fence that only ever moves the applied generation forward.
describe('delivery ledger and apply fence', () => {
  let sut: TestApi;
  let ledger: DeliveryLedger;
  let applier: RulesApplier;

  const setGeneration = (service: string, generation: number) =>
    sut.db.query(
      `INSERT INTO service_rules (service_id, generation, hash, rules, computed_at)
       VALUES ($1, $2::int, 'sha256:' || $2::text, '[]', now())
       ON CONFLICT (service_id) DO UPDATE SET generation = EXCLUDED.generation, hash = EXCLUDED.hash`,
      [service, generation],
    );
  const apply = (service: string, generation: number) =>
    applier.applyMany(WORKER, [{ serviceId: service, generation, via: 'webhook', statusCode: 200 }]);

  beforeAll(async () => {
    sut = await startTestApi();
    ledger = sut.app.get(DeliveryLedger, { strict: false });
    applier = sut.app.get(RulesApplier, { strict: false });
    await insertPolicy(sut.db);
    await insertWebhookServices(sut.db, [
      { id: 'svc-a', url: 'https://a.example/hook' },
      { id: 'svc-b', url: 'https://b.example/hook' },
    ]);
    await setGeneration('svc-a', 1);
    await setGeneration('svc-b', 1);
  });

  afterAll(async () => {
    await sut.close();
  });

  it('records a send and holds it: a second claim of the same generation is told it is busy', async () => {
    expect(await ledger.claim('svc-a', LEASE_MS)).toMatchObject({
      claimed: true,
      busy: false,
      duplicate: false,
    });
    expect(await ledger.claim('svc-a', LEASE_MS)).toMatchObject({ claimed: false, busy: true });
    expect((await rulesStates(sut.db)).get('svc-a')).toMatchObject({
      delivery_attempts: 1,
      duplicate_deliveries: 0,
    });
  });

  it('counts the repeat of a send whose outcome is unknown (timeout) as a duplicate, not one after an answer', async () => {
    await ledger.recordFailure('svc-a', 1, 'timeout after 10000 ms', true);
    expect(await ledger.claim('svc-a', LEASE_MS)).toMatchObject({ claimed: true, duplicate: true });
    await ledger.recordFailure('svc-a', 1, 'receiver answered HTTP 500', false);
    expect(await ledger.claim('svc-a', LEASE_MS)).toMatchObject({ claimed: true, duplicate: false });
    expect((await rulesStates(sut.db)).get('svc-a')).toMatchObject({
      delivery_attempts: 3,
      duplicate_deliveries: 1,
      last_error: 'receiver answered HTTP 500',
    });
  });

  it('lets a send whose holder died be claimed once its lease ran out, as a duplicate', async () => {
    expect(await ledger.claim('svc-b', 1)).toMatchObject({ claimed: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await ledger.claim('svc-b', LEASE_MS)).toMatchObject({ claimed: true, duplicate: true });
  });

  it('claims each service once when two workers claim the same services at the same moment', async () => {
    const ids = Array.from({ length: 40 }, (_, index) => `race-${String(index).padStart(2, '0')}`);
    await insertWebhookServices(
      sut.db,
      ids.map((id) => ({ id, url: `https://${id}.example/hook` })),
    );
    for (const id of ids) {
      await setGeneration(id, 1);
    }
    // Two ledgers (two workers' claim groups) on separate connections, racing row by row.
    const other = new DeliveryLedger(sut.app.get(DataSource));
    for (let round = 0; round < 3; round += 1) {
      const [mine, theirs] = await Promise.all([
        Promise.all(ids.map((id) => ledger.claim(id, LEASE_MS))),
        Promise.all([...ids].reverse().map((id) => other.claim(id, LEASE_MS))),
      ]);
      theirs.reverse();
      ids.forEach((id, index) => {
        const pair = [mine[index], theirs[index]];
        // Round 0: one of the two claims it; later rounds: the lease still holds, both are told busy.
        expect(pair.filter((target) => target?.claimed).length).toBe(round === 0 ? 1 : 0);
        expect(pair.filter((target) => target?.busy).length).toBe(round === 0 ? 1 : 2);
      });
    }
    const states = await rulesStates(sut.db);
    for (const id of ids) {
      expect(states.get(id)).toMatchObject({ delivery_attempts: 1, duplicate_deliveries: 0 });
    }
  });

  it('applies a generation once, never an older one after a newer, never one not issued', async () => {
    expect(await apply('svc-a', 1)).toEqual(new Set(['svc-a']));
    expect(await apply('svc-a', 1)).toEqual(new Set());
    await setGeneration('svc-a', 2);
    expect(await apply('svc-a', 3)).toEqual(new Set());
    expect(await apply('svc-a', 2)).toEqual(new Set(['svc-a']));
    expect(await apply('svc-a', 1)).toEqual(new Set());
    expect((await rulesStates(sut.db)).get('svc-a')).toMatchObject({
      applied_generation: 2,
      delivery_attempts: 0,
      last_error: null,
    });
    const audited = await sut.db.query<{ after: { generation: number } }>(
      `SELECT after FROM audit_events WHERE action = 'rules.applied' AND resource_id = 'svc-a' ORDER BY seq`,
    );
    expect(audited.map((row) => row.after.generation)).toEqual([1, 2]);
  });

  it('claims nothing once the desired generation is applied', async () => {
    expect(await ledger.claim('svc-a', LEASE_MS)).toMatchObject({ claimed: false, busy: false });
  });

  it('refuses in the database an applied generation that was never issued', async () => {
    await expect(
      sut.db.query(`UPDATE service_rules SET applied_generation = 99 WHERE service_id = 'svc-b'`),
    ).rejects.toThrow(/service_rules_applied_issued/);
  });

  it('names a new round of attempts once a generation has been unapplied for a quiet hour after its last send', async () => {
    await insertWebhookServices(sut.db, [
      { id: 'svc-quiet', url: 'https://quiet.example/hook' },
      { id: 'svc-retrying', url: 'https://retrying.example/hook' },
    ]);
    await setGeneration('svc-quiet', 1);
    await setGeneration('svc-retrying', 1);
    await sut.db.query(
      `UPDATE service_rules SET delivery_attempts = 10, last_attempt_at = now() - interval '61 minutes'
       WHERE service_id = 'svc-quiet'`,
    );
    await sut.db.query(
      `UPDATE service_rules SET delivery_attempts = 4, last_attempt_at = now() - interval '5 minutes'
       WHERE service_id = 'svc-retrying'`,
    );
    const repository = sut.app.get(ServiceRulesRepository, { strict: false });
    const pending = await repository.findPendingWebhookDeliveries({
      serviceIds: ['svc-quiet', 'svc-retrying'],
      computedBefore: new Date(Date.now() + 1000),
    });
    expect(pending.sort((a, b) => a.serviceId.localeCompare(b.serviceId))).toEqual([
      { serviceId: 'svc-quiet', generation: 1, restartAfterAttempts: 10 },
      { serviceId: 'svc-retrying', generation: 1 },
    ]);
  });
});
