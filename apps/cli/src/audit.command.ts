import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { verifyNdjsonExport } from '@stepwise/audit/audit-export-verifier';

/**
 * `stepwise audit verify FILE`: checks an NDJSON export with no database, so an auditor can trust
 * a copy without trusting the server that made it. The head it prints is what to compare with
 * the live `GET /api/v1/audit/verify`; a broken chain exits 1.
 */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('audit history tools');
  audit
    .command('verify')
    .description('verify an NDJSON export of the audit history offline (no database)')
    .argument('<file>', 'the file GET /api/v1/audit/export?format=ndjson returned')
    .action(async (file: string) => {
      const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      const verdict = await verifyNdjsonExport(lines);
      if (verdict.ok) {
        process.stdout.write(
          `ok, checked ${verdict.checked}, head seq ${verdict.headSeq}, head hash ${verdict.headHash}\n`,
        );
        return;
      }
      process.stdout.write(
        `bad at seq ${verdict.firstBadSeq}: ${verdict.reason} (checked ${verdict.checked} before it)\n`,
      );
      process.exitCode = 1;
    });
}
