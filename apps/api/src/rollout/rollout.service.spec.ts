import type { RolloutRow } from '@stepwise/enforcement/service-rules.repository';
import { rolloutState } from './rollout.service';

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
