import type { Requirement } from '@stepwise/domain/requirement.types';

/** What an enforcement point applies (DESIGN.md "Rules document"); also the webhook body. */
export interface RulesDocument {
  service: string;
  generation: number;
  hash: string;
  computedAt: string;
  rules: Requirement[];
  nextChangeAt: string | null;
}

/** The desired half of a `service_rules` row, as the queries here select it. */
export interface DesiredRulesRow {
  service_id: string;
  generation: number;
  hash: string;
  rules: Requirement[];
  next_change_at: Date | null;
  computed_at: Date;
}

/** The columns a query must select to compose a document (keeps the SQL and the type in step). */
export const DESIRED_RULES_COLUMNS = 'service_id, generation, hash, rules, next_change_at, computed_at';

/** Composes the document from its columns; the key order is the documented one. */
export function toRulesDocument(row: DesiredRulesRow): RulesDocument {
  return {
    service: row.service_id,
    generation: row.generation,
    hash: row.hash,
    computedAt: row.computed_at.toISOString(),
    rules: row.rules,
    nextChangeAt: row.next_change_at === null ? null : row.next_change_at.toISOString(),
  };
}

/** The rules column as stored text (`rules::text`), with the document's other columns. */
export type DesiredRulesText = Omit<DesiredRulesRow, 'rules'> & { rules_json: string };

/**
 * The same document as `JSON.stringify(toRulesDocument(row))`, byte for byte, with the stored
 * rules text spliced in: deliveries neither parse nor re-serialise the largest part of the body.
 */
export function rulesDocumentJson(row: DesiredRulesText): string {
  const nextChangeAt = row.next_change_at === null ? 'null' : `"${row.next_change_at.toISOString()}"`;
  return (
    `{"service":${JSON.stringify(row.service_id)},"generation":${row.generation},"hash":${JSON.stringify(row.hash)},` +
    `"computedAt":"${row.computed_at.toISOString()}","rules":${row.rules_json},"nextChangeAt":${nextChangeAt}}`
  );
}

/**
 * The Standard Webhooks `webhook-id` of one generation: the same on every retry and every
 * redelivery of that generation, so a receiver can drop what it has already applied.
 */
export const webhookMessageId = (serviceId: string, generation: number): string =>
  `${serviceId}-${generation}`;
