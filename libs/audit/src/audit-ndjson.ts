import type { AuditEventRecord } from './audit-event-record';

/** One export line: the event with its hashes, keys in the documented order. */
export const toNdjsonLine = (event: AuditEventRecord): string =>
  `${JSON.stringify({
    seq: event.seq,
    occurredAt: event.occurredAt,
    actor: { id: event.actor.id, name: event.actor.name, role: event.actor.role },
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    before: event.before,
    after: event.after,
    reason: event.reason,
    requestId: event.requestId,
    outcome: event.outcome,
    prevHash: event.prevHash,
    hash: event.hash,
  })}\n`;

const KEYS = [
  'seq',
  'occurredAt',
  'actor',
  'action',
  'resourceType',
  'resourceId',
  'before',
  'after',
  'reason',
  'requestId',
  'outcome',
  'prevHash',
  'hash',
] as const;
const STRING_KEYS = [
  'occurredAt',
  'action',
  'resourceType',
  'resourceId',
  'outcome',
  'prevHash',
  'hash',
] as const;
const NULLABLE_STRING_KEYS = ['reason', 'requestId'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const sameKeys = (value: Record<string, unknown>, keys: readonly string[]): boolean => {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(value, key));
};

/**
 * Reads one export line back, or says why it cannot. Strict on purpose: a line with a missing,
 * extra or mistyped field is not an event this system wrote, so it cannot be verified.
 */
export function parseNdjsonLine(line: string): AuditEventRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (!isRecord(value) || !sameKeys(value, KEYS)) {
    return `not an event (fields must be ${KEYS.join(', ')})`;
  }
  if (!Number.isSafeInteger(value.seq)) {
    return 'seq is not an integer';
  }
  for (const key of STRING_KEYS) {
    if (typeof value[key] !== 'string') {
      return `${key} is not a string`;
    }
  }
  for (const key of NULLABLE_STRING_KEYS) {
    if (value[key] !== null && typeof value[key] !== 'string') {
      return `${key} is not a string or null`;
    }
  }
  const actor = value.actor;
  if (!isRecord(actor) || !sameKeys(actor, ['id', 'name', 'role'])) {
    return 'actor is not {id, name, role}';
  }
  if (![actor.id, actor.name, actor.role].every((part) => typeof part === 'string')) {
    return 'actor fields are not strings';
  }
  return value as unknown as AuditEventRecord;
}
