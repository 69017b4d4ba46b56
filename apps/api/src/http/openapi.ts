import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_PREFIX } from './api-prefix';
import { REFUSALS, RefusalStatus } from './api-refusals.decorator';
import { ErrorDto } from './error.dto';
import { IDEMPOTENCY_HEADER } from './idempotency.interceptor';

const WRITES = new Set(['post', 'put', 'patch']);
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

/**
 * The refusals any API route can give, whatever it does: bad or unknown parameters, no token, a
 * role or scope, the throttle, a dependency down; an unknown id where the path names one; and on
 * writes the body's own (too slow, too large, wrong type, a reused Idempotency-Key, a conflict). A route
 * documents the rest itself with @ApiRefusals.
 */
function commonRefusals(method: string, path: string): RefusalStatus[] {
  const statuses: RefusalStatus[] = [400, 401, 403, 429, 503];
  if (path.includes('{')) {
    statuses.push(404);
  }
  if (WRITES.has(method)) {
    // 409 too: a retry whose first answer was not kept (see IdempotencyInterceptor).
    statuses.push(408, 409, 413, 415, 422);
  }
  return statuses;
}

/**
 * A failed readiness check answers Terminus's report inside the one error shape (the error
 * filter keeps the report: which dependency is down), so its schema lists both.
 */
function documentReadinessRefusal(document: OpenAPIObject): void {
  const refusal = document.paths['/health/ready']?.get?.responses['503'];
  const schema = refusal && 'content' in refusal ? refusal.content?.['application/json']?.schema : undefined;
  if (schema && 'properties' in schema) {
    Object.assign(schema.properties ?? {}, {
      statusCode: { type: 'integer', description: '503' },
      message: { type: 'string', description: 'a dependency is down' },
      code: { type: 'string', enum: ['DEPENDENCY_DOWN'] },
    });
  }
}

/** Every API operation lists every refusal it can give, each with the one error shape. */
function documentRefusals(document: OpenAPIObject): void {
  const content = { 'application/json': { schema: { $ref: getSchemaPath(ErrorDto) } } };
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith(`/${API_PREFIX}/`)) {
      continue;
    }
    for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
      for (const status of commonRefusals(method, path)) {
        operation.responses[status] ??= { description: REFUSALS[status] };
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        // A refusal a route documented with words only still answers the one error shape.
        if (Number(status) >= 400 && response && 'description' in response && !('content' in response)) {
          response.content = content;
        }
      }
      operation.responses = Object.fromEntries(
        Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Stepwise API')
    .setDescription(
      'Policy-rollout control plane: staged plans as dated, immutable revisions; what each service must ' +
        'require now and next; rules delivery; a verifiable audit history.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorDto] });
  documentRefusals(document);
  documentReadinessRefusal(document);
  // Every POST takes an Idempotency-Key (see IdempotencyInterceptor), so it is documented on each.
  for (const item of Object.values(document.paths)) {
    if (!item.post) {
      continue;
    }
    (item.post.parameters ??= []).push({
      name: IDEMPOTENCY_HEADER,
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the same key with the same request answers the first answer again and ' +
        'changes nothing; with another request, 422',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  return document;
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
