import { parse, YAMLParseError } from 'yaml';
import { DomainError } from '@stepwise/common/domain-error';
import { isRecord } from '@stepwise/domain/input-reader';

export type PlanDocumentKind = 'plan' | 'services';

/**
 * A plan or services file as given: text (YAML, of which JSON is a subset) or an already parsed
 * JSON body. YAML is read with the core schema, so `2024-02-28` stays the string the plan means
 * (a date read in the policy's timezone), never a Date at UTC midnight.
 */
export function readPlanDocument(content: unknown): unknown {
  if (typeof content !== 'string') {
    return content;
  }
  try {
    return parse(content, { schema: 'core', uniqueKeys: true, maxAliasCount: 100, prettyErrors: true });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message : String(error);
    throw DomainError.validation([{ field: '(body)', message: `is not valid YAML or JSON: ${message}` }]);
  }
}

/** A services file lists `services`; anything else is read (and reported on) as a plan file. */
export function planDocumentKind(document: unknown): PlanDocumentKind {
  return isRecord(document) && 'services' in document && !('policy' in document) ? 'services' : 'plan';
}
