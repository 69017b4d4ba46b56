import { createReadStream, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { DomainError } from '@stepwise/common/domain-error';
import { parseInstant } from '@stepwise/domain/dates';
import { ADOPTION_FORMATS, type AdoptionFormat } from '@stepwise/domain/adoption-file';
import { AdoptionImportService, type AdoptionImportResult } from '@stepwise/planning/adoption-import.service';
import { describeRefusal, print, printError } from './plan-output';
import { cliAuditContext, withPlanningContext } from './planning-context';

function describe(file: string, result: AdoptionImportResult): string[] {
  const lines = [
    result.unchanged
      ? `${file}: already imported (sha256 ${result.sha256}); nothing added`
      : `${file}: ${result.rows} rows read, ${result.added.length} snapshots added (sha256 ${result.sha256})`,
  ];
  for (const snapshot of result.added) {
    lines.push(
      `  ${snapshot.population} at ${snapshot.asOf}: eligible ${snapshot.eligible}, registered ${snapshot.registered}, covered ${snapshot.covered}, exempt ${snapshot.exempt}`,
    );
  }
  if (result.badRows > 0) {
    lines.push(`  ${result.badRows} rows could not be read:`);
    lines.push(...result.bad.map((row) => `    line ${row.line}: ${row.message}`));
  }
  return lines;
}

export function registerAdoptionCommands(program: Command): void {
  const adoption = program
    .command('adoption')
    .description('adoption snapshots (counts of MFA use per population)');
  adoption
    .command('import')
    .argument('<file>', 'a CSV (streamed) or JSON file')
    .option('--format <format>', `one of ${ADOPTION_FORMATS.join(', ')}`, 'generic')
    .option('--as-of <instant>', 'per-person exports: the instant the export describes (default now)')
    .description('import an adoption file as counts; the same file twice adds nothing')
    .action(async (file: string, options: { format: string; asOf?: string }) => {
      try {
        if (!(ADOPTION_FORMATS as readonly string[]).includes(options.format)) {
          throw DomainError.validation([
            { field: 'format', message: `must be one of ${ADOPTION_FORMATS.join(', ')}` },
          ]);
        }
        const format = options.format as AdoptionFormat;
        const json = extname(file).toLowerCase() === '.json';
        let asOf: number | undefined;
        if (options.asOf !== undefined) {
          const parsed = parseInstant(options.asOf);
          if (!parsed.ok) {
            throw DomainError.validation([{ field: '--as-of', message: parsed.message }]);
          }
          asOf = parsed.ms;
        }
        const result = await withPlanningContext((app) =>
          app
            .get(AdoptionImportService)
            .import(
              cliAuditContext(),
              format,
              json
                ? { kind: 'json', document: JSON.parse(readFileSync(file, 'utf8')) as unknown }
                : { kind: 'csv', content: createReadStream(file) },
              { asOf },
            ),
        );
        print(describe(file, result));
      } catch (error) {
        printError(describeRefusal(error));
        process.exitCode = 1;
      }
    });
}
