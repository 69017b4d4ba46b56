import { Injectable } from '@nestjs/common';
import { ChainCheck, ChainVerdict } from './audit-chain-check';
import { AuditReader } from './audit-reader';

/**
 * Recomputes the whole chain from the database, a batch at a time (bounded memory). The head row
 * is read first and the walk stops at its seq: events appended meanwhile are left for the next
 * verification, and a chain cut short (rows deleted behind the trigger's back) fails at the first
 * missing seq. The head row itself must exist and match the last event, or appends cannot go on.
 */
@Injectable()
export class AuditVerifyService {
  constructor(private readonly reader: AuditReader) {}

  async verify(): Promise<ChainVerdict> {
    const end = await this.reader.end();
    const chain = new ChainCheck();
    for await (const batch of this.reader.batches({}, { upToSeq: end.head?.seq ?? end.lastSeq })) {
      for (const event of batch) {
        if (!chain.add(event)) {
          return chain.verdict();
        }
      }
    }
    return chain.verdict(end);
  }
}
