import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The committed OpenAPI document as a machine-checked contract: every answer a suite receives
 * must have a status its operation documents and, when it is JSON, a body its schema allows
 * (no field the schema does not list, either). OpenAPI 3.0 schemas become JSON Schema 2020-12:
 * `nullable` adds `null` to the type beside it (and to an `enum`), as OpenAPI 3.0.3 defines it.
 */

type Json = Record<string, unknown>;
const DOCUMENT_ID = 'stepwise-openapi';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(toJsonSchema);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const source = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'nullable' || key === 'example') {
      continue;
    }
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.startsWith('#/') ? `${DOCUMENT_ID}${value}` : value;
      continue;
    }
    // A map of names to schemas: its keys are names, not keywords.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v)]))
        : toJsonSchema(value);
  }
  if (source.nullable === true && typeof source.type === 'string') {
    out.type = [source.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) {
      out.enum = [...(out.enum as unknown[]), null];
    }
  }
  // Answers are closed: a field the schema does not list is drift, not an extension.
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  literal: number;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

export interface ContractAnswer {
  method: string;
  /** The path as sent (a query string is ignored). */
  url: string;
  status: number;
  contentType: string | undefined;
  body: unknown;
}

export class OpenApiContract {
  private readonly ajv: Ajv2020;
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    const components = (document.components ?? {}) as Json;
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: toJsonSchema(components) as Json });
    for (const [template, item] of Object.entries(document.paths as Record<string, Json>)) {
      for (const method of METHODS) {
        const operation = item[method] as Json | undefined;
        if (!operation) {
          continue;
        }
        const pattern = new RegExp(
          `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`,
        );
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern,
          literal: template.replace(/\{[^}]+\}/g, '').length,
          responses: operation.responses as Operation['responses'],
        });
      }
    }
    // A literal segment wins over a parameter (`/schedule/feed` before `/schedule/{x}`).
    this.operations.sort((a, b) => b.literal - a.literal);
  }

  static fromFile(path = join(__dirname, '..', '..', 'openapi.json')): OpenApiContract {
    return new OpenApiContract(JSON.parse(readFileSync(path, 'utf8')) as Json);
  }

  /** The documented operation an answer belongs to; null when the document has none (not the API). */
  operationOf(method: string, url: string): Operation | null {
    const path = decodeURI(url.split('?')[0]);
    const upper = method.toUpperCase();
    const lookup = upper === 'HEAD' ? 'GET' : upper;
    return this.operations.find((o) => o.method === lookup && o.pattern.test(path)) ?? null;
  }

  /** Every documented operation, as `METHOD /path/{param}`. */
  operationKeys(): string[] {
    return this.operations.map((o) => `${o.method} ${o.template}`);
  }

  /** What is wrong with an answer, in words that name it; null when it keeps the contract. */
  violation(answer: ContractAnswer): string | null {
    const operation = this.operationOf(answer.method, answer.url);
    if (operation === null) {
      return null;
    }
    const where = `${answer.method.toUpperCase()} ${answer.url} (${operation.method} ${operation.template})`;
    const response = operation.responses[String(answer.status)] ?? operation.responses.default;
    if (response === undefined) {
      const documented = Object.keys(operation.responses).join(', ');
      return `${where} answered ${answer.status}, which it does not document (documented: ${documented}); body: ${JSON.stringify(answer.body).slice(0, 500)}`;
    }
    const json = /^application\/(.+\+)?json/.test(answer.contentType ?? '');
    const schema = response.content?.['application/json']?.schema;
    if (!json || schema === undefined || answer.method.toUpperCase() === 'HEAD') {
      return null;
    }
    const validate = this.validatorFor(`${operation.method} ${operation.template} ${answer.status}`, schema);
    if (validate(answer.body)) {
      return null;
    }
    return `${where} answered ${answer.status} with a body off its schema: ${describe(validate.errors)}; body: ${JSON.stringify(answer.body).slice(0, 500)}`;
  }

  private validatorFor(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(toJsonSchema(schema) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

const describe = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? [])
    .slice(0, 8)
    .map(
      (e) =>
        `${e.instancePath || '(body)'} ${e.message ?? ''}${e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'` : ''}`,
    )
    .join('; ');
