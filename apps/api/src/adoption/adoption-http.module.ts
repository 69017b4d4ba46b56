import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AdoptionModule } from '@stepwise/planning/adoption.module';
import { utf8Body } from '../http/utf8-body';
import { AdoptionController } from './adoption.controller';
import { GateOverrideController } from './gate-override.controller';
import { LoanController } from './loan.controller';

export const CSV_CONTENT_TYPES = ['text/csv', 'application/csv'];

/** Adoption over HTTP. CSV bodies reach the importer as text (strict UTF-8), under the server's body limit. */
@Module({
  imports: [AdoptionModule],
  controllers: [AdoptionController, GateOverrideController, LoanController],
})
export class AdoptionHttpModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser('text/csv')) {
      return;
    }
    fastify.addContentTypeParser(CSV_CONTENT_TYPES, { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, utf8Body(body as Buffer));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }
}
