import { auditEventHash, GENESIS_HASH } from './audit-hash';
import { AuditEventRecord, hashedFieldsOf } from './audit-event-record';

export type ChainVerdict =
  | { ok: true; checked: number; headSeq: number; headHash: string }
  | { ok: false; firstBadSeq: number; checked: number; reason: string };

/** The live `audit_head` row: where the next append continues the chain. */
export interface ExpectedHead {
  seq: number;
  hash: string;
}

/**
 * Where the stored chain ends, read in one statement: the head row (null when it is missing) and
 * the newest event's seq. An append moves both in one transaction, so they agree unless tampered.
 */
export interface StoredChainEnd {
  head: ExpectedHead | null;
  lastSeq: number;
}

/**
 * Walks a chain event by event from genesis, in O(1) memory: seq must run 1, 2, 3 … with no gap,
 * each prevHash must be the previous event's hash and each hash must match the event's content.
 * The online verifier (database) and the offline one (NDJSON export) both feed it, so both judge
 * a chain by the same rules.
 */
export class ChainCheck {
  private checked = 0;
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private failure: { seq: number; reason: string } | null = null;

  get broken(): boolean {
    return this.failure !== null;
  }

  /** Checks the next event; false once the chain is broken (later events prove nothing). */
  add(event: AuditEventRecord): boolean {
    if (this.failure) {
      return false;
    }
    const expected = this.lastSeq + 1;
    if (event.seq !== expected) {
      return this.fail(
        expected,
        event.seq > expected ? `event ${expected} is missing` : `seq ${event.seq} out of order`,
      );
    }
    if (event.prevHash !== this.lastHash) {
      return this.fail(expected, "prevHash is not the previous event's hash");
    }
    if (auditEventHash(hashedFieldsOf(event)) !== event.hash) {
      return this.fail(expected, "hash does not match the event's content");
    }
    this.checked += 1;
    this.lastSeq = event.seq;
    this.lastHash = event.hash;
    return true;
  }

  /** Records a failure found outside `add` (an unreadable export line). */
  fail(seq: number, reason: string): false {
    this.failure ??= { seq, reason };
    return false;
  }

  get nextSeq(): number {
    return this.lastSeq + 1;
  }

  verdict(end?: StoredChainEnd): ChainVerdict {
    if (!this.failure && end) {
      this.compareWithEnd(end);
    }
    if (this.failure) {
      return { ok: false, firstBadSeq: this.failure.seq, checked: this.checked, reason: this.failure.reason };
    }
    return { ok: true, checked: this.checked, headSeq: this.lastSeq, headHash: this.lastHash };
  }

  private compareWithEnd({ head, lastSeq }: StoredChainEnd): void {
    if (head === null) {
      this.fail(this.lastSeq + 1, 'the head row (audit_head) is missing: no event can be appended');
    } else if (this.lastSeq < head.seq) {
      this.fail(this.lastSeq + 1, `event ${this.lastSeq + 1} is missing (the head is at ${head.seq})`);
    } else if (this.lastHash !== head.hash) {
      this.fail(head.seq, "the head row's hash differs from the last event's");
    } else if (lastSeq > head.seq) {
      this.fail(head.seq + 1, `event ${head.seq + 1} lies beyond the head row (at ${head.seq})`);
    }
  }
}
