import type { RulesDocument } from '@stepwise/connector';

/**
 * Turns a rules document into an enforcement point's configuration. `apply` resolves only once the
 * point enforces the new rules; when it throws, the point must still run its previous
 * configuration (the adapter restores it), so the agent can report the failure and retry.
 */
export interface EnforcementAdapter {
  readonly name: string;
  apply(document: RulesDocument): Promise<void>;
}
