import { type CompiledPolicy, governingRevision } from './compiled-plan';
import { type CompiledService, capabilityAt } from './compiled-service';
import { readDateOrInstant } from './date-readers';
import { parseDateOrInstant, toZonedText } from './dates';
import { phaseCoverSince } from './evaluate';
import type { InputReader } from './input-reader';
import type { PhaseEffective } from './plan.types';
import { postponementAt } from './postponement';

/** A phase's `postponeUntilMax`: a date or instant after its confirmed date, kept as written. */
export function readPostponeUntilMax(
  reader: InputReader,
  value: unknown,
  path: string,
  effective: PhaseEffective | undefined,
  zone: string,
): string | undefined {
  const cap = readDateOrInstant(reader, value, path, zone);
  if (cap === undefined || effective === undefined) {
    return undefined;
  }
  if (effective.at === undefined) {
    return reader.fail(path, 'is only allowed on a confirmed phase (effective.at)');
  }
  const capMs = parseDateOrInstant(cap, zone);
  const atMs = parseDateOrInstant(effective.at, zone);
  if (capMs.ok && atMs.ok && capMs.ms <= atMs.ms) {
    return reader.fail(path, `must be after effective.at (${effective.at})`);
  }
  return cap;
}

export interface PostponementAsk {
  policy: CompiledPolicy;
  service: CompiledService;
  phase: string;
  /** The date asked for (ms). */
  until: number;
  now: number;
}

export type PostponementCheck =
  | { ok: true; revision: number; phaseAt: number; cap: number }
  /** `invalid`: the ask itself is wrong (400); `conflict`: the plan's state refuses it (409). */
  | { ok: false; kind: 'invalid' | 'conflict'; field: string; message: string };

const refuse = (kind: 'invalid' | 'conflict', field: string, message: string): PostponementCheck => ({
  ok: false,
  kind,
  field,
  message,
});

/**
 * Whether a phase may be postponed for a service to `until`, against the plan as it stands at
 * `now` (the newest revision known, a scheduled one included): the phase allows it, applies to
 * the service, has not taken effect for it yet (its date, or the date an earlier postponement
 * gave it, is still ahead), and `until` is after that date and within the cap.
 */
export function checkPostponement(ask: PostponementAsk): PostponementCheck {
  const { policy, service, now } = ask;
  const revision = governingRevision(policy, Number.POSITIVE_INFINITY, now);
  if (revision === null) {
    return refuse('invalid', 'policy', `policy '${policy.policy.id}' has no published revision`);
  }
  const phase = revision.phases.find((candidate) => candidate.key === ask.phase);
  if (phase === undefined) {
    return refuse('invalid', 'phase', `is not a phase of ${policy.policy.id} revision ${revision.number}`);
  }
  if (phase.at === null || phase.postponeUntilMax === null) {
    return refuse('invalid', 'phase', `phase '${phase.key}' allows no postponement (no postponeUntilMax)`);
  }
  if (!phase.active) {
    return refuse(
      'conflict',
      'phase',
      `phase '${phase.key}' is ${phase.state}: there is nothing to postpone`,
    );
  }
  const state = capabilityAt(service, Math.max(phase.at, now), now);
  if (phaseCoverSince(phase, service, state) === null) {
    return refuse('conflict', 'phase', `phase '${phase.key}' does not apply to service '${service.id}'`);
  }
  // Instants in messages are given in the policy's zone, as a planner wrote the dates.
  const zoned = (ms: number) => toZonedText(ms, policy.policy.timezone);
  const current = postponementAt(service.postponements, policy.policy.id, phase.key, now, now);
  const takesEffectAt = current === null ? phase.at : Math.max(phase.at, current.until);
  if (takesEffectAt <= now) {
    return refuse(
      'conflict',
      'phase',
      `phase '${phase.key}' took effect for service '${service.id}' at ${zoned(takesEffectAt)}`,
    );
  }
  if (ask.until <= phase.at) {
    return refuse('invalid', 'until', `must be after the phase's date ${zoned(phase.at)}`);
  }
  if (ask.until <= now) {
    return refuse('invalid', 'until', 'must be in the future');
  }
  if (ask.until > phase.postponeUntilMax) {
    return refuse('invalid', 'until', `is beyond the phase's cap ${zoned(phase.postponeUntilMax)}`);
  }
  return { ok: true, revision: revision.number, phaseAt: phase.at, cap: phase.postponeUntilMax };
}
