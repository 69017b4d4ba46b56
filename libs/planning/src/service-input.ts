import type { MfaCapability } from '@stepwise/domain/plan.types';

// What callers hand to the directory besides a new service (whose body the domain's services-file
// reader validates, so the API and `config/services/*.yaml` accept exactly the same thing).
// Dates are strings as written: a date is read in STEPWISE_TIMEZONE, an instant needs an offset.

export interface ConnectorInput {
  type: 'pull' | 'webhook';
  url?: string;
  /** Standard Webhooks form (`whsec_…`); generated when absent. */
  secret?: string | null;
}

/** Absent fields stay as they are; `null` clears `owner` or `introducedAt`. */
export interface ServicePatchInput {
  name?: string;
  owner?: string | null;
  tags?: string[];
  introducedAt?: string | null;
  connector?: ConnectorInput;
}

export interface CapabilityChangeInput {
  mfaCapability: MfaCapability;
  /** Defaults to now. */
  effectiveAt?: string;
}
