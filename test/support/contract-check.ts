import { Test } from 'supertest';
import { OpenApiContract } from './openapi-contract';

type Assert = (resError: Error | null, res: SupertestAnswer | undefined, fn?: Callback) => void;
type Callback = (error: Error | null, res: unknown) => void;
interface SupertestAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

const INSTALLED = Symbol.for('stepwise.contract-check');
let contract: OpenApiContract | null = null;

/**
 * Every answer a suite receives through supertest is checked against the committed OpenAPI
 * document (openapi-contract.ts) before the test's own expectations: a status the operation does
 * not document, or a body off its schema, fails the request with the method, path, status and
 * schema errors. A route a later change adds is checked as soon as it is in the document.
 */
export function installContractCheck(): void {
  const prototype = Test.prototype as unknown as Record<symbol | string, unknown>;
  if (prototype[INSTALLED]) {
    return;
  }
  prototype[INSTALLED] = true;
  const original = prototype.assert as Assert;
  prototype.assert = function assert(
    this: { method: string; url: string },
    resError: Error | null,
    res: SupertestAnswer | undefined,
    fn?: Callback,
  ): void {
    if (res !== undefined) {
      contract ??= OpenApiContract.fromFile();
      const violation = contract.violation({
        method: this.method,
        url: new URL(this.url).pathname,
        status: res.status,
        contentType: res.headers['content-type'],
        body: res.body,
      });
      if (violation !== null) {
        fn?.call(this, new Error(`OpenAPI contract: ${violation}`), res);
        return;
      }
    }
    original.call(this, resError, res, fn);
  };
}
