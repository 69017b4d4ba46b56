import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { utf8Body } from './utf8-body';

/**
 * Nest's JSON parser with the body read as strict UTF-8 first: Fastify's default JSON parsing
 * (prototype poisoning refused) then reads the text. Registering a parser stops Nest adding its
 * own, so form bodies, never part of this JSON API, are answered 415.
 */
export function useStrictJsonBodyParser(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>(
    'application/json',
    { bodyLimit: fastify.initialConfig.bodyLimit },
    (request, body, done) => {
      let text: string;
      try {
        text = utf8Body(body);
      } catch (error) {
        done(error as Error, undefined);
        return;
      }
      void parseJson(request, text, done);
    },
  );
}
