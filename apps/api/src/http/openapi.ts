import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IDEMPOTENCY_HEADER } from './idempotency.interceptor';

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
  const document = SwaggerModule.createDocument(app, config);
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
