import { strongestLevel, type RulesDocument } from '@stepwise/connector';
import type { Clock } from '@stepwise/common/clock';
import type { EntraCaAdapterConfig } from '../../agent-config';
import type { EnforcementAdapter } from '../adapter';
import { GraphClient } from './graph-client';

export type PolicyState = 'enabled' | 'enabledForReportingButNotEnforced' | 'disabled';

interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  state: PolicyState;
}

const POLICIES = '/identity/conditionalAccess/policies';

/** `enforced` → enabled; `report-only` → report-only mode; anything else → disabled. */
export function policyStateFor(level: string): PolicyState {
  if (level === 'enforced') {
    return 'enabled';
  }
  return level === 'report-only' ? 'enabledForReportingButNotEnforced' : 'disabled';
}

/**
 * Microsoft Entra Conditional Access through Microsoft Graph: one policy per (the service's
 * application, population group), requiring MFA, whose state follows the population's level.
 * Idempotent: a policy already in the wanted state is not written; a missing one is created.
 */
export class EntraCaAdapter implements EnforcementAdapter {
  readonly name = 'entra-ca';
  private readonly graph: GraphClient;

  constructor(
    private readonly config: EntraCaAdapterConfig,
    clock: Clock,
    graph?: GraphClient,
  ) {
    this.graph =
      graph ??
      new GraphClient({
        tenantId: config.tenantId,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        graphUrl: config.graphUrl,
        loginUrl: config.loginUrl,
        clock,
      });
  }

  displayName(service: string, population: string): string {
    return `${this.config.displayNamePrefix} ${service} ${population}`;
  }

  async apply(document: RulesDocument): Promise<void> {
    const existing =
      (
        await this.graph.call<{ value: ConditionalAccessPolicy[] }>(
          'GET',
          `${POLICIES}?$select=id,displayName,state`,
        )
      )?.value ?? [];
    for (const [population, groupId] of Object.entries(this.config.groups)) {
      const state = policyStateFor(strongestLevel(document, [population]));
      const displayName = this.displayName(document.service, population);
      const policy = existing.find((candidate) => candidate.displayName === displayName);
      if (policy === undefined) {
        await this.graph.call('POST', POLICIES, {
          displayName,
          state,
          conditions: {
            clientAppTypes: ['all'],
            applications: { includeApplications: [this.config.applicationId] },
            users: { includeGroups: [groupId] },
          },
          grantControls: { operator: 'OR', builtInControls: ['mfa'] },
        });
      } else if (policy.state !== state) {
        await this.graph.call('PATCH', `${POLICIES}/${encodeURIComponent(policy.id)}`, { state });
      }
    }
  }
}
