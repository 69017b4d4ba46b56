import { hash } from 'node:crypto';
import { canonicalJson } from '@stepwise/domain/canonical-json';
import { AUDIT_HASH_PREFIX, HashedAuditFields } from './audit-hash';

/** What is known of an event before it has a place in the chain. */
export type UnplacedAuditFields = Omit<HashedAuditFields, 'seq' | 'occurredAt' | 'prevHash'>;

/**
 * An event's canonical JSON with holes for the three values only the chain can give (occurredAt,
 * prevHash, seq). Canonical JSON orders keys, so the text around the holes is fixed: action,
 * actor, after, before | occurredAt | outcome | prevHash | reason, requestId, resourceId,
 * resourceType | seq. Serialising before the head row is locked leaves only a concatenation and
 * one SHA-256 inside the lock; `auditEventHash` stays the reference it must equal (see the spec).
 */
export class PrehashedAuditEvent {
  private readonly untilOccurredAt: string;
  private readonly untilPrevHash: string;
  private readonly untilSeq: string;
  constructor(readonly fields: UnplacedAuditFields) {
    const pair = (key: keyof UnplacedAuditFields): string => `"${key}":${canonicalJson(fields[key])}`;
    this.untilOccurredAt = `{${pair('action')},${pair('actor')},${pair('after')},${pair('before')},"occurredAt":`;
    this.untilPrevHash = `,${pair('outcome')},"prevHash":`;
    this.untilSeq = `,${pair('reason')},${pair('requestId')},${pair('resourceId')},${pair('resourceType')},"seq":`;
  }

  hash(seq: number, occurredAt: string, prevHash: string): string {
    // One-shot hashing of one string: about half the cost of an incremental Hash object.
    return hash(
      'sha256',
      `${AUDIT_HASH_PREFIX}${this.untilOccurredAt}${JSON.stringify(occurredAt)}${this.untilPrevHash}` +
        `${JSON.stringify(prevHash)}${this.untilSeq}${JSON.stringify(seq)}}`,
      'hex',
    );
  }
}
