import { hash } from 'node:crypto';
import { canonicalJson, canonicalJsonString } from '@stepwise/domain/canonical-json';
import { AUDIT_HASH_PREFIX, HashedAuditFields } from './audit-hash';

/** What is known of an event before it has a place in the chain. */
export type UnplacedAuditFields = Omit<HashedAuditFields, 'seq' | 'occurredAt' | 'prevHash'>;

/**
 * canonicalJson of a value as jsonb gives it back, i.e. after a JSON round trip (toJSON applied,
 * NaN and functions turned to null or dropped); `null` for none. A value canonicalJson accepts is
 * plain JSON already, with the same text either way, and skips the round trip.
 */
export function storedJsonText(value: unknown): string {
  if (value === undefined || value === null) {
    return 'null';
  }
  try {
    return canonicalJson(value);
  } catch {
    return canonicalJson(JSON.parse(JSON.stringify(value)));
  }
}

/** `before` and `after` as `storedJsonText`: what is hashed, and what jsonb reads. */
export interface StoredJson {
  before: string;
  after: string;
}

export const storedJsonOf = (fields: UnplacedAuditFields): StoredJson => ({
  before: storedJsonText(fields.before),
  after: storedJsonText(fields.after),
});

/** Most fields are strings, which need no writer. */
const canonical = (value: unknown): string =>
  typeof value === 'string' ? canonicalJsonString(value) : canonicalJson(value);

/**
 * An event's canonical JSON with holes for the three values only the chain can give (occurredAt,
 * prevHash, seq). Canonical JSON orders keys, so the text around the holes is fixed: action,
 * actor, after, before | occurredAt | outcome | prevHash | reason, requestId, resourceId,
 * resourceType | seq. Serialising before the head row is locked leaves only a concatenation and
 * one SHA-256 inside the lock; `auditEventHash` stays the reference it must equal (see the spec).
 * The actor is written as the three fields a stored row keeps (id, name, role, in key order).
 * It keeps only flat strings (joined, not concatenated into many small pieces), since a group
 * holds thousands of these while it waits for the head row.
 */
export class PrehashedAuditEvent {
  private readonly untilOccurredAt: string;
  private readonly untilPrevHash: string;
  private readonly untilSeq: string;
  constructor(fields: UnplacedAuditFields, json: StoredJson = storedJsonOf(fields)) {
    const { actor } = fields;
    this.untilOccurredAt = [
      `${AUDIT_HASH_PREFIX}{"action":`,
      canonical(fields.action),
      ',"actor":{"id":',
      canonical(actor.id),
      ',"name":',
      canonical(actor.name),
      ',"role":',
      canonical(actor.role),
      '},"after":',
      json.after,
      ',"before":',
      json.before,
      ',"occurredAt":',
    ].join('');
    this.untilPrevHash = [',"outcome":', canonical(fields.outcome), ',"prevHash":'].join('');
    this.untilSeq = [
      ',"reason":',
      canonical(fields.reason),
      ',"requestId":',
      canonical(fields.requestId),
      ',"resourceId":',
      canonical(fields.resourceId),
      ',"resourceType":',
      canonical(fields.resourceType),
      ',"seq":',
    ].join('');
  }

  hash(seq: number, occurredAt: string, prevHash: string): string {
    // One-shot hashing of one string: about half the cost of an incremental Hash object.
    return hash(
      'sha256',
      `${this.untilOccurredAt}${JSON.stringify(occurredAt)}${this.untilPrevHash}` +
        `${JSON.stringify(prevHash)}${this.untilSeq}${JSON.stringify(seq)}}`,
      'hex',
    );
  }
}
