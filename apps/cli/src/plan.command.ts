import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DomainError } from '@stepwise/common/domain-error';
import { parsePlanFile } from '@stepwise/domain/plan-file';
import { parseServicesFile } from '@stepwise/domain/services-file';
import { PlanDocumentImporter } from '@stepwise/planning/plan-document-importer.service';
import { planDocumentKind, readPlanDocument } from '@stepwise/planning/plan-document';
import { describePreview, describeRefusal, describeResult, print, printError } from './plan-output';
import { cliAuditContext, withPlanningContext } from './planning-context';

/** Runs a command body; a refusal (DomainError) is printed and makes the exit status 1. */
async function reporting(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    printError(describeRefusal(error));
    process.exitCode = 1;
  }
}

const readText = (file: string): string => readFileSync(file, 'utf8');

/** Offline check of a plan file against the service ids of a services file (no database). */
function validateOffline(file: string, servicesFile: string): void {
  const services = parseServicesFile(readPlanDocument(readText(servicesFile)));
  if (!services.ok) {
    throw DomainError.validation(
      services.errors.map((e) => ({ ...e, field: `${servicesFile}: ${e.field}` })),
    );
  }
  const document = readPlanDocument(readText(file));
  const ids = new Set(services.value.services.map((service) => service.id));
  const parsed =
    planDocumentKind(document) === 'services' ? parseServicesFile(document) : parsePlanFile(document, ids);
  if (!parsed.ok) {
    throw DomainError.validation(parsed.errors);
  }
}

export function registerPlanCommands(program: Command): void {
  const plan = program
    .command('plan')
    .description('plan files (config/plans/*.yaml) and services files (config/services/*.yaml)');

  plan
    .command('validate')
    .argument('<file>', 'a plan or services file, YAML or JSON')
    .option('--services-file <file>', 'check service ids against this services file instead of the database')
    .description(
      'check a file as an import would (service ids against the directory in DATABASE_URL); writes nothing',
    )
    .action((file: string, options: { servicesFile?: string }) =>
      reporting(async () => {
        if (options.servicesFile) {
          validateOffline(file, options.servicesFile);
        } else {
          await withPlanningContext((app) => app.get(PlanDocumentImporter).preview(readText(file)));
        }
        print([`${file}: valid`]);
      }),
    );

  plan
    .command('import')
    .argument('<file>', 'a plan or services file, YAML or JSON')
    .description('import a file: idempotent, audited as system:cli; a published revision is never rewritten')
    .action((file: string) =>
      reporting(async () => {
        const result = await withPlanningContext((app) =>
          app.get(PlanDocumentImporter).import(cliAuditContext(), readText(file)),
        );
        print(describeResult(file, result));
      }),
    );

  plan
    .command('diff')
    .argument('<file>', 'a plan or services file, YAML or JSON')
    .description(
      'what importing the file would add, leave and refuse; writes nothing (exit 1 if it would be refused)',
    )
    .action((file: string) =>
      reporting(async () => {
        const preview = await withPlanningContext((app) =>
          app.get(PlanDocumentImporter).preview(readText(file)),
        );
        print(describePreview(file, preview));
        const refused =
          preview.kind === 'plan' &&
          (preview.policyAction === 'conflict' || preview.revisions.some((s) => s.action === 'conflict'));
        if (refused) {
          process.exitCode = 1;
        }
      }),
    );
}
