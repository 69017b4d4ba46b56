/** The levels this kit knows, strongest first. */
export const LEVELS = ['enforced', 'warn', 'report-only', 'expected', 'none'] as const;
export type Level = (typeof LEVELS)[number];

/** Whether a level is one this kit knows (the list is open: Stepwise may add levels). */
export const isKnownLevel = (level: string): level is Level => (LEVELS as readonly string[]).includes(level);

export interface RuleSource {
  kind: string;
  phase?: string;
  rule?: string;
}

/** One rule per (policy, population): what the service must require now. */
export interface Rule {
  policy: string;
  revision: number | null;
  population: string;
  /** A known level, or one added to Stepwise after this kit: see `strongestLevel`. */
  level: Level | (string & {});
  since: string | null;
  source: RuleSource;
  /** Where users without MFA learn to set it up (policies that carry one). */
  instructionsUrl?: string;
}

/** What Stepwise sends (webhook body) and serves (`GET /services/:id/rules`). */
export interface RulesDocument {
  service: string;
  generation: number;
  hash: string;
  computedAt: string;
  rules: Rule[];
  nextChangeAt: string | null;
}

export class RulesDocumentError extends Error {
  override readonly name = 'RulesDocumentError';
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape of a parsed rules document and returns it typed; throws a RulesDocumentError
 * naming the first bad field. A level this kit does not know is kept as given (Stepwise's list
 * of levels is open; `strongestLevel` reads it as the strongest).
 */
export function parseRulesDocument(input: unknown): RulesDocument {
  if (!isObject(input)) {
    throw new RulesDocumentError('rules document: expected a JSON object');
  }
  const fail = (field: string, expected: string): never => {
    throw new RulesDocumentError(`rules document: ${field} must be ${expected}`);
  };
  if (typeof input.service !== 'string' || input.service === '') {
    fail('service', 'a non-empty string');
  }
  if (!Number.isSafeInteger(input.generation) || (input.generation as number) < 1) {
    fail('generation', 'a positive integer');
  }
  if (typeof input.hash !== 'string' || !input.hash.startsWith('sha256:')) {
    fail('hash', "a string starting with 'sha256:'");
  }
  if (typeof input.computedAt !== 'string') {
    fail('computedAt', 'an ISO 8601 string');
  }
  if (input.nextChangeAt !== null && typeof input.nextChangeAt !== 'string') {
    fail('nextChangeAt', 'an ISO 8601 string or null');
  }
  if (!Array.isArray(input.rules)) {
    fail('rules', 'an array');
  }
  (input.rules as unknown[]).forEach((rule, index) => checkRule(rule, `rules[${index}]`, fail));
  return input as unknown as RulesDocument;
}

function checkRule(rule: unknown, at: string, fail: (field: string, expected: string) => never): void {
  if (!isObject(rule)) {
    fail(at, 'an object');
  }
  const value = rule;
  if (typeof value.policy !== 'string') {
    fail(`${at}.policy`, 'a string');
  }
  if (typeof value.population !== 'string') {
    fail(`${at}.population`, 'a string');
  }
  if (typeof value.level !== 'string' || value.level === '') {
    fail(`${at}.level`, 'a non-empty string');
  }
  if (!isObject(value.source) || typeof value.source.kind !== 'string') {
    fail(`${at}.source.kind`, 'a string');
  }
}

const RANK: Record<Level, number> = { enforced: 4, warn: 3, 'report-only': 2, expected: 1, none: 0 };

/**
 * The strongest level among the rules (of the populations asked, if given); `none` for none. A
 * level this kit does not know counts as `enforced`, the strongest it knows: an enforcement point
 * must not weaken a rule it does not understand (ADR 0500).
 */
export function strongestLevel(document: RulesDocument, populations?: readonly string[]): Level {
  let strongest: Level = 'none';
  for (const rule of document.rules) {
    if (populations !== undefined && !populations.includes(rule.population)) {
      continue;
    }
    const level = isKnownLevel(rule.level) ? rule.level : 'enforced';
    if (RANK[level] > RANK[strongest]) {
      strongest = level;
    }
  }
  return strongest;
}
