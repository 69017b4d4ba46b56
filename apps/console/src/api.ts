// The console talks to the API like any client: the session cookie stands for the person, and
// every request that changes something carries the session's CSRF token.

export interface Person {
  id: string;
  name: string;
  role: 'admin' | 'planner' | 'service-owner' | 'auditor' | 'connector' | 'system';
  services: string[] | null;
}

export interface Session {
  signedIn: boolean;
  mode: 'organisation' | 'development' | 'off';
  language: 'en' | 'ja';
  person?: Person;
  csrfToken?: string;
  expiresAt?: string;
}

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
    readonly fields: FieldError[],
  ) {
    super(message);
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => undefined;

export function useSession(session: Session, signedOut: () => void): void {
  csrfToken = session.csrfToken ?? '';
  onSignedOut = signedOut;
}

export async function loadSession(): Promise<Session> {
  const res = await fetch('/auth/session', {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  return (await res.json()) as Session;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  if (method !== 'GET') {
    headers['x-csrf-token'] = csrfToken;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) {
    return undefined as T;
  }
  const text = await res.text();
  const json = text === '' ? null : (JSON.parse(text) as unknown);
  if (!res.ok) {
    const error = (json ?? {}) as { message?: string; code?: string; fields?: FieldError[] };
    if (res.status === 401) {
      onSignedOut();
    }
    throw new ApiError(res.status, error.message ?? res.statusText, error.code, error.fields ?? []);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** PATCH under optimistic concurrency: `version` is what the page showed (If-Match). */
  patch: <T>(path: string, body: unknown, version: number) =>
    request<T>('PATCH', path, body, { 'if-match': `"${version}"` }),
};

/** A list endpoint's items, whether it answers a page (`{items, nextCursor}`) or a plain array. */
export function itemsOf<T>(answer: T[] | { items: T[] }): T[] {
  return Array.isArray(answer) ? answer : answer.items;
}

export const query = (params: Record<string, string | number | undefined | null>): string => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length === 0
    ? ''
    : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
};

export async function signOut(): Promise<void> {
  const res = await fetch('/auth/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'x-csrf-token': csrfToken },
  });
  const { redirect } = (await res.json()) as { redirect: string };
  window.location.assign(redirect);
}
