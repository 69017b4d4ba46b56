import type { RolloutRow, ServiceRulesRepository } from '@stepwise/enforcement/service-rules.repository';
import { RolloutService, rolloutState } from './rollout.service';

const aRow = (overrides: Partial<RolloutRow> = {}): RolloutRow => ({
  service_id: 'svc',
  connector_type: 'webhook',
  connector_disabled_at: null,
  connector_disabled_reason: null,
  generation: 3,
  applied_generation: 2,
  applied_at: null,
  delivery_attempts: 0,
  last_error: null,
  last_attempt_at: null,
  duplicate_deliveries: 0,
  redelivery_requested_at: null,
  ...overrides,
});

describe(rolloutState.name, () => {
  it('says disabled first, whatever else holds', () => {
    expect(rolloutState(aRow({ connector_disabled_at: new Date(), applied_generation: 3 }))).toBe('disabled');
  });

  it('says in-sync when the desired generation is applied', () => {
    expect(rolloutState(aRow({ applied_generation: 3, last_error: 'old' }))).toBe('in-sync');
  });

  it('says pending while a redelivery of the applied generation is outstanding, failing if its send failed', () => {
    const requested = new Date();
    expect(rolloutState(aRow({ applied_generation: 3, redelivery_requested_at: requested }))).toBe('pending');
    expect(
      rolloutState(
        aRow({ applied_generation: 3, redelivery_requested_at: requested, last_error: 'HTTP 500' }),
      ),
    ).toBe('failing');
  });

  it('says failing when the last webhook send failed, pending otherwise', () => {
    expect(rolloutState(aRow({ last_error: 'receiver answered HTTP 500', delivery_attempts: 2 }))).toBe(
      'failing',
    );
    expect(rolloutState(aRow())).toBe('pending');
    expect(rolloutState(aRow({ connector_type: 'pull', last_error: 'n/a' }))).toBe('pending');
  });

  it('says pending for a service whose rules were never computed', () => {
    expect(rolloutState(aRow({ generation: null, applied_generation: null }))).toBe('pending');
  });
});

describe(RolloutService.name, () => {
  const rows = [
    aRow({ service_id: 'a', applied_generation: 3 }),
    aRow({ service_id: 'b' }),
    aRow({ service_id: 'c', last_error: 'HTTP 500' }),
    aRow({ service_id: 'd' }),
  ];
  const sut = new RolloutService({
    findRollout: () => Promise.resolve(rows),
  } as unknown as ServiceRulesRepository);

  it('lists every service with the counts by state', async () => {
    const all = await sut.rollout();
    expect(all.items.map((item) => item.service)).toEqual(['a', 'b', 'c', 'd']);
    expect(all.counts).toEqual({ 'in-sync': 1, pending: 2, failing: 1, disabled: 0 });
  });

  it('lists only the services in the asked state, the counts still of every service', async () => {
    const pending = await sut.rollout('pending');
    expect(pending.items.map((item) => item.service)).toEqual(['b', 'd']);
    expect(pending.counts).toEqual({ 'in-sync': 1, pending: 2, failing: 1, disabled: 0 });
    expect((await sut.rollout('disabled')).items).toEqual([]);
  });
});
