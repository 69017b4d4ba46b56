import type { RevisionValidationContext } from '../revision-context';
import { validateRevisionPlan } from '../revision-validation';

// Raw (unvalidated) plan inputs for validation specs.

export const validationContext: RevisionValidationContext = {
  timezone: 'Asia/Tokyo',
  populations: ['faculty-staff', 'students'],
  serviceIds: new Set(['utokyo-vpn', 'utokyo-slack', 'utas', 'utol']),
};

export function aPhaseInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: 'step-1',
    title: 'VPN and Slack',
    effective: { at: '2024-02-01' },
    scope: { services: ['utokyo-vpn', 'utokyo-slack'] },
    enforcement: 'enforce',
    ...overrides,
  };
}

export function aPlanInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { phases: [aPhaseInput()], ...overrides };
}

/** A plan whose only phase is `aPhaseInput(overrides)`. */
export function withPhase(overrides: Record<string, unknown>): Record<string, unknown> {
  return aPlanInput({ phases: [aPhaseInput(overrides)] });
}

export function errorsOf(input: unknown, ctx: RevisionValidationContext = validationContext) {
  const sut = validateRevisionPlan(input, ctx);
  return sut.ok ? [] : sut.errors;
}

export function fieldsOf(input: unknown, ctx: RevisionValidationContext = validationContext): string[] {
  return errorsOf(input, ctx).map((error) => error.field);
}
