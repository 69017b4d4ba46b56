export const ROLES = ['admin', 'planner', 'service-owner', 'auditor', 'connector'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose tokens are limited to a list of services. */
export const SCOPED_ROLES: readonly Role[] = ['service-owner', 'connector'];

/** Who is acting: a token holder, or the system itself (worker, CLI, bootstrap). */
export interface Principal {
  /** Token id, or a fixed id such as `system:worker` for non-token actors. */
  id: string;
  name: string;
  role: Role | 'system';
  /** Service ids the principal is limited to; `null` means not limited. */
  services: readonly string[] | null;
}

export const systemActor = (component: 'worker' | 'cli' | 'bootstrap' | 'api'): Principal => ({
  id: `system:${component}`,
  name: `stepwise-${component}`,
  role: 'system',
  services: null,
});

export const canSeeService = (principal: Principal, serviceId: string): boolean =>
  principal.services === null || principal.services.includes(serviceId);
