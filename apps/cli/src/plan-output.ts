import { DomainError } from '@stepwise/common/domain-error';
import type { PlanImportPreview } from '@stepwise/planning/plan-import-planner';
import type { PlanImportResult } from '@stepwise/planning/plan-import.service';
import type { ServicesImportPreview, ServicesImportResult } from '@stepwise/planning/services-import.service';

// What the plan commands print: one fact per line, so scripts can grep and people can read.

export function describePreview(file: string, preview: PlanImportPreview | ServicesImportPreview): string[] {
  if (preview.kind === 'services') {
    return [
      `${file}: services file`,
      ...preview.create.map((id) => `  service ${id}: would be registered`),
      ...preview.unchanged.map((id) => `  service ${id}: already registered, left as is`),
    ];
  }
  const policy =
    preview.policyAction === 'conflict'
      ? `  policy ${preview.policy}: REFUSED: ${preview.policyConflict}`
      : `  policy ${preview.policy}: ${preview.policyAction === 'create' ? 'would be created' : 'unchanged'}`;
  const revisions = preview.revisions.map((step) => {
    const what = `revision ${step.number} (publishAt ${step.publishAt}${step.backdated ? ', backdated: flagged imported' : ''})`;
    if (step.action === 'conflict') {
      return `  ${what}: REFUSED: ${step.conflict}`;
    }
    return `  ${what}: ${step.action === 'add' ? 'would be added' : 'unchanged'}: ${step.summary}`;
  });
  return [`${file}: plan file`, policy, ...revisions];
}

export function describeResult(file: string, result: PlanImportResult | ServicesImportResult): string[] {
  if (result.kind === 'services') {
    const secrets = Object.entries(result.connectorSecrets).map(
      ([id, secret]) => `  webhook secret of ${id} (shown once): ${secret}`,
    );
    return [
      `${file}: ${result.created.length} service(s) registered, ${result.unchanged.length} already there`,
      ...secrets,
    ];
  }
  const added = result.added.length === 0 ? 'nothing added' : `revision(s) ${result.added.join(', ')} added`;
  const created = result.policyCreated ? 'created, ' : '';
  return [`${file}: policy ${result.policy}: ${created}${added}; ${result.unchanged.length} unchanged`];
}

/** A refusal as lines; anything that is not a DomainError is rethrown for main to report. */
export function describeRefusal(error: unknown): string[] {
  if (!(error instanceof DomainError)) {
    throw error;
  }
  if (error.fieldErrors.length === 0) {
    return [`refused (${error.code}): ${error.message}`];
  }
  return [
    `refused (${error.code}):`,
    ...error.fieldErrors.map((field) => `  ${field.field}: ${field.message}`),
  ];
}

export const print = (lines: readonly string[]): void => {
  process.stdout.write(`${lines.join('\n')}\n`);
};

export const printError = (lines: readonly string[]): void => {
  process.stderr.write(`${lines.join('\n')}\n`);
};
