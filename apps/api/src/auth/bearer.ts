/**
 * The token of an `Authorization: Bearer <token>` header, or null. The scheme is matched in any
 * case (RFC 9110 §11.1), the token in the token68 alphabet (RFC 6750 §2.1).
 */
export function bearerTokenOf(header: string | undefined): string | null {
  const match = /^bearer +([A-Za-z0-9._~+/=-]{1,512})$/i.exec(header ?? '');
  return match === null ? null : match[1];
}

/** Sent with every 401 of a bearer-protected route (RFC 9110 §15.5.2, RFC 6750 §3). */
export const BEARER_CHALLENGE = 'Bearer realm="stepwise"';
