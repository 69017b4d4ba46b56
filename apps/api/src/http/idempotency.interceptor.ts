import { hash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { from, Observable, of, mergeMap } from 'rxjs';
import type { IdempotencyClaim } from '@stepwise/idempotency/idempotency-claim';
import { IdempotencyKeys } from '@stepwise/idempotency/idempotency-keys';
import { KeptAnswerSeal } from '@stepwise/idempotency/kept-answer-seal';
import { DomainError, ErrorCode } from '@stepwise/common/domain-error';
import type { Principal } from '@stepwise/common/principal';
import { canonicalJson } from '@stepwise/domain/canonical-json';
import { ProcessSecretBox } from '@stepwise/planning/secret-box.factory';
import type { AuthenticatedRequest } from '../auth/request-context';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Parameters and parsed bodies as plain JSON (Fastify's params have no prototype). */
const asPlainJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
/** Response headers a replay repeats (what a client may act on besides the body). */
const KEPT_HEADERS = ['etag', 'location'];

/**
 * `Idempotency-Key` on POST (IETF draft-ietf-httpapi-idempotency-key-header): a client that did
 * not hear back retries with the same key and gets the first answer again, and the change is made
 * once. The key is the token's own; it is claimed in the change's own transaction (AuditLog.run),
 * so two racing requests cannot both make it, and the answer is kept once the change committed.
 * The same key with another request is 422; a key whose change committed but whose answer was not
 * kept (still running, or the process died in between) is 409. Without the header nothing changes.
 * The answer is kept sealed under STEPWISE_SECRET_KEY: some carry a token or a webhook secret.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  private readonly seal: KeptAnswerSeal;

  constructor(
    private readonly keys: IdempotencyKeys,
    secretBox: ProcessSecretBox,
  ) {
    this.seal = new KeptAnswerSeal(secretBox);
  }

  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers['idempotency-key'];
    // Every other request passes straight through, without waiting on anything.
    if (request.method !== 'POST' || key === undefined || !request.principal) {
      return next.handle();
    }
    return this.withKey(
      request,
      request.principal,
      key,
      context.switchToHttp().getResponse<FastifyReply>(),
      next,
    );
  }

  private async withKey(
    request: AuthenticatedRequest,
    principal: Principal,
    key: string | string[],
    reply: FastifyReply,
    next: CallHandler,
  ): Promise<Observable<unknown>> {
    if (typeof key !== 'string' || !VALID_KEY.test(key)) {
      throw DomainError.validation([
        { field: IDEMPOTENCY_HEADER, message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    const route = `POST ${request.routeOptions.url ?? request.url}`;
    const fingerprint = hash(
      'sha256',
      `${route}\n${canonicalJson(asPlainJson(request.params ?? {}))}\n${canonicalJson(asPlainJson(request.body ?? null))}`,
      'hex',
    );
    const stored = await this.keys.find(principal.id, key);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new DomainError(
          ErrorCode.IdempotencyKeyReused,
          `${IDEMPOTENCY_HEADER} '${key}' was used for another request (${stored.route}); use a new key`,
        );
      }
      if (stored.response === null) {
        throw new DomainError(
          ErrorCode.Conflict,
          `the request with ${IDEMPOTENCY_HEADER} '${key}' made its change, but its answer is not kept yet ` +
            '(still running, or lost): read the resource to see it',
        );
      }
      const answer = this.seal.open({ principalId: principal.id, key }, stored.response);
      if (answer === null) {
        this.logger.warn(`kept answer of ${stored.route} under key '${key}' cannot be opened`);
        // The change was made: making it again would be worse than not repeating its answer.
        throw new DomainError(
          ErrorCode.Conflict,
          `the request with ${IDEMPOTENCY_HEADER} '${key}' made its change, but its kept answer cannot be ` +
            'opened (sealed under another STEPWISE_SECRET_KEY, or altered): read the resource to see it',
        );
      }
      void reply.headers({ ...answer.headers, 'idempotent-replayed': 'true' });
      return of(answer.body ?? undefined);
    }
    const claim: IdempotencyClaim = { key, fingerprint, route, claimed: false };
    request.idempotency = claim;
    return next
      .handle()
      .pipe(mergeMap((body: unknown) => from(this.keep(principal, claim, body, reply).then(() => body))));
  }

  /** Keeps the answer; the change has committed, so a failure here only costs replays. */
  private async keep(principal: Principal, claim: IdempotencyClaim, body: unknown, reply: FastifyReply) {
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') {
        headers[name] = value;
      }
    }
    try {
      const owner = { principalId: principal.id, key: claim.key };
      const sealed = this.seal.seal(owner, { body: body === undefined ? null : body, headers });
      await this.keys.keepAnswer(principal.id, claim, sealed);
    } catch (error: unknown) {
      this.logger.warn(`answer of ${claim.route} under key '${claim.key}' not kept: ${String(error)}`);
    }
  }
}
