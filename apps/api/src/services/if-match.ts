import { DomainError, ErrorCode } from '@stepwise/common/domain-error';

/** The strong ETag of a service version. */
export const serviceEtag = (version: number): string => `"${version}"`;

/**
 * The version an If-Match names. Missing: 428, so a client cannot skip the check by forgetting
 * the header. Anything that names no version of ours (`*`, weak or malformed tags) cannot match
 * a strong version, so it is 412 like a stale one.
 */
export function expectedVersion(ifMatch: string | undefined): number {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new DomainError(ErrorCode.PreconditionRequired, 'If-Match with the service ETag is required');
  }
  const match = /^\s*"(\d{1,9})"\s*$/.exec(ifMatch);
  if (!match) {
    throw new DomainError(
      ErrorCode.PreconditionFailed,
      `If-Match ${ifMatch} names no version of this service`,
    );
  }
  return Number(match[1]);
}
