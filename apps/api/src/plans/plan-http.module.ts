import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PlanningModule } from '@stepwise/planning/planning.module';
import { utf8Body } from '../http/utf8-body';
import { PlanController } from './plan.controller';

export const YAML_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/**
 * Plan files over HTTP. YAML bodies are handed to the importer as text (strict UTF-8, as JSON
 * bodies are); Fastify applies the server's body limit (1 MiB, 413 beyond) to this parser too.
 */
@Module({ imports: [PlanningModule], controllers: [PlanController] })
export class PlanHttpModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // Absent when the module runs without HTTP (an application context, e.g. the OpenAPI script's tests).
    if (!fastify || fastify.hasContentTypeParser('application/yaml')) {
      return;
    }
    fastify.addContentTypeParser(YAML_CONTENT_TYPES, { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, utf8Body(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }
}
