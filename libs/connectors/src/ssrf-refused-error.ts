/**
 * Raised when a webhook target resolves to an address the target policy refuses.
 * The code lets callers tell a refusal (never retried) from a network failure (retried)
 * even after undici or node:net has wrapped or re-thrown it.
 */
export class SsrfRefusedError extends Error {
  static readonly code = 'ESSRF_REFUSED';
  readonly code = SsrfRefusedError.code;

  constructor(reason: string) {
    super(`webhook target refused: ${reason}`);
    this.name = SsrfRefusedError.name;
  }
}

/** Looks through `cause` chains; duck-typed, since errors may come from another realm. */
export function isSsrfRefusal(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (code === SsrfRefusedError.code) {
      return true;
    }
    current = cause;
  }
  return false;
}
